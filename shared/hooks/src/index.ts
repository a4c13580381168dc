export { signHookBody, verifyHookSignature, hookSignatureHeader, hookDeliveryHeader, hookEventHeader } from "./sign-hook";
export { buildHookPayload, type HookPayload } from "./hook-payload";
export { hookEventsFor } from "./hook-events";
export { deliverHook, type HookResponse } from "./deliver-hook";
export { startHookDispatcher, type HookDispatcher } from "./start-hook-dispatcher";
export { createHooksWorker } from "./create-hooks-worker";
export { runPreExecutionHooks, type PreExecutionVerdict } from "./run-pre-execution-hooks";
