// An iteration that throws: reported as a script error.
export const options = { vus: 1, iterations: 1 };

export default function () {
  throw new Error('boom from the script');
}
