import type { ErrorCode } from "@fixline/core";

/** The HTTP status a coded error is answered with. */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case "SIGNATURE_MISSING":
    case "SIGNATURE_INVALID":
    case "TIMESTAMP_OUT_OF_WINDOW":
    case "UNAUTHORIZED":
      return 401;
    case "PAYLOAD_MALFORMED":
    case "JOB_DATA_INVALID":
      return 400;
    case "FORBIDDEN":
    case "IP_NOT_ALLOWED":
      return 403;
    case "NOT_FOUND":
    case "TASK_NOT_FOUND":
      return 404;
    case "ILLEGAL_TRANSITION":
    case "STALE_STATE":
      return 409;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "UNSUPPORTED_MEDIA_TYPE":
      return 415;
    case "DB_UNAVAILABLE":
    case "REDIS_UNAVAILABLE":
    case "INGEST_OVERLOADED":
    case "INTEGRATION_FAILED":
      return 503;
    default:
      return 500;
  }
}
