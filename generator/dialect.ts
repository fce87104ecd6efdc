/**
 * Tells the two IDL dialects apart by what the text says, not by the file name.
 * QMI declarations put the body first (`struct { … } name;`, `message { … } name;`),
 * use `include "x";` without `#`, and have `mandatory`/`optional` elements and a
 * `service NAME { … } = ID;` block; QAIC (FastRPC) has `interface`, `#include`,
 * `struct Name {` and `typedef`.
 */
function stripCommentsAndStrings(text: string): string {
  return text.replace(/\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"/g, (m) => (m.startsWith('"') ? '""' : ' '));
}

export function isQmiSource(text: string): boolean {
  const t = stripCommentsAndStrings(text);
  let qmi = 0;
  let qaic = 0;
  if (/\b(?:struct|enum(?:8|16)?|mask(?:8|16|32|64)?|message)\s*\{/.test(t)) qmi += 2;
  if (/\b(?:mandatory|optional)\s+\w+\s+\w+/.test(t)) qmi += 2;
  if (/\bservice\s+\w+\s*\{/.test(t)) qmi += 2;
  if (/(?:^|;|\n)\s*include\s+""\s*;/.test(t)) qmi += 1;
  if (/(?:^|;|\n)\s*revision\s+\w+\s*;/.test(t)) qmi += 1;
  if (/\binterface\s+\w+/.test(t)) qaic += 3;
  if (/#\s*include\b/.test(t)) qaic += 2;
  if (/\b(?:struct|union|enum)\s+\w+\s*\{/.test(t)) qaic += 2;
  if (/\btypedef\b/.test(t)) qaic += 2;
  if (/\b(?:in|rout|inrout)\s+\w/.test(t)) qaic += 1;
  return qmi > qaic;
}
