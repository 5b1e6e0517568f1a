// k6/execution: the few fields a script asks about itself.
export default {
  get vu() { return { idInTest: globalThis.__VU, iterationInScenario: globalThis.__ITER, iterationInInstance: globalThis.__ITER }; },
  get scenario() { return { name: 'default', iterationInTest: globalThis.__ITER }; },
  test: { abort(reason) { throw new Error(`test aborted: ${reason ?? ''}`); } },
};
