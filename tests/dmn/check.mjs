// Evaluate a DMN decision table from the .dmn file alone, the way a DMN engine would.
//
//   node check.mjs FILE.dmn < cases.json      cases: [{"amount": 1000.01, "category": "quality"}, ...]
//
// Parses FILE.dmn with dmn-moddle (any warning is an error), then for every case evaluates each input
// expression and each rule's input entries with feelin (unaryTest, `?` bound to the input value) and applies the
// table's hit policy. An input value outside the input's declared domain (its inputValues, a unary test) is
// refused as DMN engines do: the case's result is {"refused": INPUT-ID} and no rule is tried. Prints one JSON
// result per case, as a JSON list: the output value (a string), a list of output values for COLLECT, null when no
// rule decides, or the refusal. Exits 1 with a message on stderr on any problem.
import { readFileSync } from 'node:fs';
import { DmnModdle } from 'dmn-moddle';
import { evaluate, unaryTest } from 'feelin';

function fail(message) {
  process.stderr.write(`check.mjs: ${message}\n`);
  process.exit(1);
}

// A FEEL evaluation whose warnings (unknown names, type errors) are errors, never a silent null.
function feel(fn, text, context, what) {
  const { value, warnings } = fn(text, context);
  if (warnings.length) {
    fail(`${what}: ${JSON.stringify(text)}: ${warnings.map(w => w.message).join('; ')}`);
  }
  return value;
}

const [file] = process.argv.slice(2);
if (!file) {
  fail('usage: node check.mjs FILE.dmn < cases.json');
}
const { rootElement: definitions, warnings } = await new DmnModdle().fromXML(readFileSync(file, 'utf8'))
  .catch(error => fail(`${file}: not DMN: ${error.message}`));
if (warnings.length) {
  fail(`${file}: dmn-moddle warnings:\n${warnings.map(w => `  ${w.message}`).join('\n')}`);
}
const decisions = definitions.drgElement.filter(e => e.$type === 'dmn:Decision');
if (decisions.length !== 1 || decisions[0].decisionLogic?.$type !== 'dmn:DecisionTable') {
  fail(`${file}: expected exactly one decision holding a decision table`);
}
const table = decisions[0].decisionLogic;
if (table.output.length !== 1) {
  fail(`${file}: expected exactly one output, found ${table.output.length}`);
}
const output = table.output[0];
// PRIORITY ranks outputs by their position in the output's outputValues (a list of FEEL literals).
const priority = output.outputValues ? feel(evaluate, `[${output.outputValues.text}]`, {}, 'outputValues') : null;

function decide(inputs) {
  const values = table.input.map(input => feel(evaluate, input.inputExpression.text, inputs, `input ${input.id}`));
  const outside = table.input.find((input, i) => input.inputValues &&
    feel(unaryTest, input.inputValues.text, { ...inputs, '?': values[i] }, `${input.id} inputValues`) !== true);
  if (outside) {
    return { refused: outside.inputExpression.text };
  }
  const matched = table.rule.filter(rule => rule.inputEntry.every((entry, i) => {
    const result = feel(unaryTest, entry.text, { ...inputs, '?': values[i] }, `${rule.id} ${entry.id}`);
    if (typeof result !== 'boolean') {
      fail(`${rule.id} ${entry.id}: ${JSON.stringify(entry.text)} gives ${result}, not true or false`);
    }
    return result;
  }));
  const outputs = matched.map(rule => feel(evaluate, rule.outputEntry[0].text, inputs, `${rule.id} output`));
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (outputs.length > 1) {
        fail(`UNIQUE table: ${JSON.stringify(inputs)} matches ${matched.map(r => r.id).join(', ')}`);
      }
      return outputs[0] ?? null;
    case 'FIRST':
      return outputs[0] ?? null;
    case 'PRIORITY': {
      if (!priority) {
        fail('PRIORITY table without outputValues');
      }
      const ranks = outputs.map(value => priority.indexOf(value));
      if (ranks.includes(-1)) {
        fail(`PRIORITY: an output of ${JSON.stringify(outputs)} is not in outputValues`);
      }
      return outputs.length ? outputs[ranks.indexOf(Math.min(...ranks))] : null;
    }
    case 'COLLECT':
      return outputs;
    default:
      fail(`unsupported hit policy ${table.hitPolicy}`);
  }
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(decide)) + '\n');
