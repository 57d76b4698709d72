import { DataFrame } from '/work/wt/nested/src/frame/DataFrame.js';
const df = DataFrame.fromRows([{ a: { b: 5 }, age: 11, n: 'x' }, { a: null, age: null, n: "o'k" }], { a: 'struct<b:int32>', age: 'int32', n: 'string' });
console.log(await df.filter("`a`.`b` > 1 AND `n` = 'x'").toRows());
console.log(await df.filter("NOT coalesce(`a`.`b` > 1 AND `age` > 10, false)").toRows());
console.log(await df.filter("`n` = 'o''k'").toRows());
