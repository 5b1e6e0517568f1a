// An iteration that would sleep for an hour: the graceful stop must interrupt it.
import { sleep } from 'k6';

export const options = {
  scenarios: { forever: { executor: 'constant-vus', vus: 2, duration: '500ms', gracefulStop: '500ms' } },
};

export default function () {
  sleep(3600);
}
