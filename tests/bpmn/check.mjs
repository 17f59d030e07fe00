// Reads each BPMN file named on the command line with bpmn-moddle and lints it with bpmnlint's recommended
// rules; prints one JSON object per file: {file, warnings (from reading), reports: [{rule, id, message, category}]}.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { BpmnModdle } from "bpmn-moddle";

const require = createRequire(import.meta.url);
const { Linter } = require("bpmnlint");
const NodeResolver = require("bpmnlint/lib/resolver/node-resolver");

const linter = new Linter({ resolver: new NodeResolver() });
const moddle = new BpmnModdle();
const results = [];
for (const file of process.argv.slice(2)) {
  const xml = await readFile(file, "utf8");
  const { rootElement, warnings } = await moddle.fromXML(xml, "bpmn:Definitions");
  const found = await linter.lint(rootElement, { extends: "bpmnlint:recommended" });
  const reports = [];
  for (const [rule, list] of Object.entries(found)) {
    for (const r of list) reports.push({ rule, id: r.id, message: r.message, category: r.category });
  }
  const counts = {};
  for (const el of ["bpmn:Lane", "bpmn:UserTask", "bpmn:ExclusiveGateway", "bpmn:SequenceFlow",
                    "bpmn:DataObjectReference", "bpmn:BoundaryEvent", "bpmn:StartEvent", "bpmn:EndEvent"]) {
    counts[el] = 0;
  }
  const visit = (element) => {
    if (element.$type in counts) counts[element.$type] += 1;
    for (const child of element.flowElements || []) visit(child);
    for (const set of element.laneSets || []) for (const lane of set.lanes || []) visit(lane);
  };
  for (const root of rootElement.rootElements) visit(root);
  const timers = [];
  for (const root of rootElement.rootElements) {
    for (const el of root.flowElements || []) {
      if (el.$type === "bpmn:BoundaryEvent") {
        timers.push({ id: el.id, attachedTo: el.attachedToRef.id,
                      duration: el.eventDefinitions[0].timeDuration.body });
      }
    }
  }
  const shapes = rootElement.diagrams[0].plane.planeElement.map((e) => e.bpmnElement && e.bpmnElement.id);
  results.push({ file, warnings: warnings.map((w) => w.message), reports, counts, timers, diagram: shapes });
}
process.stdout.write(JSON.stringify(results));
