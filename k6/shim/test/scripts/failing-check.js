// A check that fails: the shim must exit non-zero even without a threshold on `checks`.
import { check } from 'k6';

export const options = { vus: 1, iterations: 2 };

export default function () {
  check(__ITER, { 'first iteration only': (i) => i === 0 });
}
