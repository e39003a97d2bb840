// Runs the Khronos glTF validator (npm gltf-validator) on each file named and prints one JSON
// line per file: {"file", "errors", "warnings", "messages": [first few]}. Used by the tests.
const validator = require('gltf-validator');
const fs = require('fs');
(async () => {
  for (const file of process.argv.slice(2)) {
    const report = await validator.validateBytes(new Uint8Array(fs.readFileSync(file)), {maxIssues: 100});
    const issues = report.issues;
    const messages = issues.messages.filter(m => m.severity <= 1).slice(0, 5).map(m => `${m.code}: ${m.message} ${m.pointer || ''}`);
    console.log(JSON.stringify({file, errors: issues.numErrors, warnings: issues.numWarnings, messages}));
  }
})().catch(e => { console.error(String(e)); process.exit(2); });
