// One free-port helper for every test: @fixline/testing's.
export { freePort } from "@fixline/testing";
