// Counts iterations: the scenario asks for 3 VUs for 1 s; the shim test runs it with k6's flags.
import { sleep } from 'k6';
import { Counter } from 'k6/metrics';

const runs = new Counter('iterations_run');

export const options = {
  scenarios: { counted: { executor: 'constant-vus', vus: 3, duration: '1s', gracefulStop: '1s' } },
  thresholds: { iterations_run: ['count==2'] },
};

export default function () {
  runs.add(1);
  sleep(0.25);
}
