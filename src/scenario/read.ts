/**
 * Reading a scenario file into plain data, safely: size, encoding, YAML/JSON syntax, alias bombs and nesting
 * are checked before anything else looks at the content. JSON is read by the same YAML 1.2 parser (a JSON
 * superset), so duplicate keys are refused in both. Boundary code: O(file size).
 */
import { readFileSync, statSync } from 'node:fs';
import YAML from 'yaml';
import { inputError, type Problem } from '../errors.js';
import { at, describe, Problems, scenarioError } from './problems.js';

/** Largest scenario file read [assumption: a 100,000-event workload stays well below]. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Alias references resolved per file: anchors are for reuse, not expansion (billion-laughs guard) [assumption]. */
export const MAX_ALIAS_COUNT = 50;
/** Deepest nesting of mappings and lists accepted [assumption: a scenario is at most ~6 levels deep]. */
export const MAX_DEPTH = 32;
/** Flow-bracket depth refused before parsing, so the parser never recurses that deep [assumption]. */
const MAX_BRACKET_DEPTH = 200;
/** Values (scalars, mappings, lists) in one file [assumption]. */
export const MAX_VALUES = 1_000_000;
/** Keys that could reach an object's prototype: refused wherever they appear. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function fileError(file: string, message: string, cause?: unknown) {
  const problems: Problem[] = [{ path: '', message }];
  return inputError(`${file}: ${message}`, { file, problems, cause });
}

/** Reads and parses a file (YAML or JSON) to plain data. Throws CnisimError('input') naming the file. */
export function readScenarioFile(path: string): unknown {
  if (typeof path !== 'string' || path === '') throw fileError(String(path), 'no scenario file given');
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw fileError(path, 'is a directory, not a scenario file: give the path of a .yaml or .json file');
    if (!st.isFile()) throw fileError(path, 'is not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof Error && err.name === 'CnisimError') throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fileError(path, 'no such file', err);
    if (code === 'EACCES' || code === 'EPERM') throw fileError(path, 'permission denied', err);
    throw fileError(path, `cannot be read (${code ?? String(err)})`, err);
  }
  if (size > MAX_FILE_BYTES) throw fileError(path, `is ${size} bytes: a scenario file may be at most ${MAX_FILE_BYTES} bytes`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fileError(path, code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot be read (${code ?? String(err)})`, err);
  }
  return parseBytes(bytes, path);
}

/** Decodes UTF-8 (refusing binary content) and parses. */
export function parseBytes(bytes: Uint8Array, file: string): unknown {
  if (bytes.length > MAX_FILE_BYTES) throw fileError(file, `is ${bytes.length} bytes: a scenario file may be at most ${MAX_FILE_BYTES} bytes`);
  if (bytes.includes(0)) throw fileError(file, 'looks like a binary file (it contains NUL bytes): expected YAML or JSON text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw fileError(file, 'is not UTF-8 text: expected a YAML or JSON scenario', err);
  }
  return parseText(text, file);
}

function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/** Parses YAML or JSON text to plain data (one document). */
export function parseText(text: string, file: string): unknown {
  if (typeof text !== 'string') throw fileError(file, `expected text, got ${describe(text)}`);
  if (text.length > MAX_FILE_BYTES) throw fileError(file, `is ${text.length} characters long: a scenario file may be at most ${MAX_FILE_BYTES} bytes`);
  if (text.includes('\0')) throw fileError(file, 'looks like a binary file (it contains NUL characters): expected YAML or JSON text');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw fileError(file, 'is empty: expected a scenario (see scenarios/ for examples)');
  if (bracketDepth(text) > MAX_BRACKET_DEPTH) throw fileError(file, `nests brackets more than ${MAX_BRACKET_DEPTH} levels deep`);

  const opts = { uniqueKeys: true, strict: true, prettyErrors: true, schema: 'core', merge: false } as const;
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, opts) as YAML.Document.Parsed[];
  } catch (err) {
    throw fileError(file, `cannot be parsed as YAML or JSON (${firstLine(err)})`, err);
  }
  if (!Array.isArray(docs)) docs = [];
  if (docs.length > 1) throw fileError(file, `holds ${docs.length} YAML documents (separated by ---): expected one`);
  const doc = docs[0];
  if (doc === undefined) throw fileError(file, 'holds no scenario (only comments): expected a scenario (see scenarios/ for examples)');
  const syntax = [...doc.errors, ...doc.warnings];
  if (syntax.length > 0) {
    const problems = syntax.slice(0, 20).map((e) => ({ path: '', message: `YAML: ${firstLine(e)}` }));
    throw inputError(problems.map((q) => `${file}: ${q.message}`).join('\n'), { file, problems });
  }
  if (doc.contents === null) throw fileError(file, 'holds no scenario (only comments or an empty document)');
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw fileError(file, `uses YAML aliases (*name) too many times (more than ${MAX_ALIAS_COUNT} expansions): refused as a possible alias bomb`, err);
    }
    if (err instanceof RangeError) throw fileError(file, 'is nested too deeply', err);
    throw fileError(file, `cannot be read as data (${firstLine(err)})`, err);
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const line = msg.split('\n')[0] ?? msg;
  return line.replace(/:$/, '').slice(0, 200);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A clean copy of parsed data: plain objects (own keys only, forbidden keys dropped), arrays, strings, finite or
 * not numbers (the schema refuses NaN/Infinity with a path), booleans and null. Anything else (binary data,
 * dates, functions, cycles, too deep) becomes a problem at its path and is dropped.
 */
export function sanitize(value: unknown, p: Problems): unknown {
  let count = 0;
  const seen = new Set<object>();
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (++count > MAX_VALUES) {
      if (count === MAX_VALUES + 1) p.error(path, `too many values: a scenario may hold at most ${MAX_VALUES}`);
      return undefined;
    }
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v !== 'object') {
      p.error(path, `${describe(v)} is not a scenario value`);
      return undefined;
    }
    if (depth >= MAX_DEPTH) {
      p.error(path, `nested more than ${MAX_DEPTH} levels deep`);
      return undefined;
    }
    if (seen.has(v)) {
      p.error(path, 'refers to itself (a cyclic alias)');
      return undefined;
    }
    if (Array.isArray(v)) {
      seen.add(v);
      const out = v.map((item, i) => walk(item, at(path, i), depth + 1));
      seen.delete(v);
      return out;
    }
    if (!isPlainObject(v)) {
      p.error(path, `${v instanceof Uint8Array ? 'binary data' : `a ${v.constructor?.name ?? 'special'} value`} is not accepted: expected text, numbers, lists and mappings`);
      return undefined;
    }
    seen.add(v);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const keyPath = at(path, key);
      if (FORBIDDEN_KEYS.has(key)) {
        p.error(keyPath, `the key "${key}" is not allowed`);
        continue;
      }
      if (key.length > 200) {
        p.error(at(path, `${key.slice(0, 40)}…`), `a key of ${key.length} characters is not a scenario key`);
        continue;
      }
      // Safe: the key is neither __proto__ nor constructor, so assignment creates an own property.
      out[key] = walk(v[key], keyPath, depth + 1);
    }
    seen.delete(v);
    return out;
  };
  return walk(value, '', 0);
}

export { isPlainObject, scenarioError };
