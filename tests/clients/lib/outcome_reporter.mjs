// A node --test reporter that counts what happened to every test and suite, for run.mjs: it writes
// one JSON line at the end, {passed, failed, skipped: [names], todo: [names]}. A test marked
// skip or todo has not shown that its behaviour works, so run.mjs reports it as skipped, never
// as passed.
export default async function* outcomeReporter(source) {
  const outcome = { passed: 0, failed: 0, skipped: [], todo: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, skip, todo, details, file } = event.data;
    // A file that registered no test at all shows up as one passing "test" named after the file.
    if (name === file && event.type === 'test:pass') continue;
    const reason = (value) => (typeof value === 'string' && value ? `${name} (${value})` : name);
    if (skip !== undefined && skip !== false) outcome.skipped.push(reason(skip));
    else if (todo !== undefined && todo !== false) outcome.todo.push(reason(todo));
    else if (event.type === 'test:fail') outcome.failed += 1;
    else if (details?.type !== 'suite') outcome.passed += 1;
  }
  yield `${JSON.stringify(outcome)}\n`;
}
