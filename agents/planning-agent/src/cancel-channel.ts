/**
 * The Redis pub/sub channel on which a cancellation publishes the task id (the webhook server's
 * task-commands publishes it). Defined here too because agents never import services; the value is the contract.
 */
export const cancelChannel = "fixline:cancel";
