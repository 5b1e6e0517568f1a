// The built-in k6 metrics the shim reports (a subset: the ones a WebSocket/HTTP script meets).
import { Counter, Rate, Trend } from '../modules/k6-metrics.mjs';

let metrics = null;

/** Created lazily, once per VU thread. */
export function builtin() {
  if (!metrics) {
    metrics = {
      checks: new Rate('checks'),
      iterations: new Counter('iterations'),
      iterationDuration: new Trend('iteration_duration', true),
      wsSessions: new Counter('ws_sessions'),
      wsConnecting: new Trend('ws_connecting', true),
      wsSessionDuration: new Trend('ws_session_duration', true),
      wsMsgsSent: new Counter('ws_msgs_sent'),
      wsMsgsReceived: new Counter('ws_msgs_received'),
      httpReqs: new Counter('http_reqs'),
      httpReqDuration: new Trend('http_req_duration', true),
      httpReqFailed: new Rate('http_req_failed'),
    };
  }
  return metrics;
}
