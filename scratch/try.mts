import { read } from '/work/wt/nested/src/frame/read.js';
import { Relationalize } from '/work/wt/nested/transforms/Relationalize.js';
import { schemaToSpec } from '/work/wt/nested/src/types/typeNames.js';
const df = read.json('/tmp/nested/people.json');
console.log(schemaToSpec(await df.schema()));
const c = Relationalize.apply({ frame: df, name: 'root' });
for (const k of await c.keys()) { console.log(k, schemaToSpec(await c.select(k).schema())); console.log(JSON.stringify(await c.select(k).toRows())); }
