/**
 * `--web.config.file`: the web configuration file of the Prometheus exporter toolkit (the one
 * node_exporter reads), so an operator configures TLS and basic auth for vhtop as for any exporter.
 * Validated like the registry: the first problem is one ConfigError `FILE:LINE: field: problem`.
 */
import path from 'node:path';
import { createSecureContext, type SecureVersion } from 'node:tls';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { MAX_CONFIG_BYTES, readConfigText, tooLarge, visible } from '../core/catalogue-read.js';
import { describe, NodeReader } from '../core/catalogue-yaml.js';
import { ConfigError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';

/** TLS material, loaded and checked at start-up. */
export interface TlsSettings {
  readonly cert: string;
  readonly key: string;
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
}

/** A validated web configuration. */
export interface WebConfig {
  readonly file: string;
  /** null: plain HTTP. */
  readonly tls: TlsSettings | null;
  /** user -> bcrypt hash; empty: no authentication. */
  readonly users: ReadonlyMap<string, string>;
}

const TOP_KEYS = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
/** Every key the toolkit knows; those vhtop does not implement are refused by name, never ignored. */
const TLS_KEYS = ['cert_file', 'key_file', 'min_version', 'max_version', 'cert', 'key', 'client_auth_type', 'client_ca_file', 'client_ca', 'cipher_suites', 'curve_preferences', 'prefer_server_cipher_suites', 'client_allowed_sans'];
const TLS_SUPPORTED = ['cert_file', 'key_file', 'min_version', 'max_version'];
const HTTP_KEYS = ['http2', 'headers'];
const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };
/** A bcrypt hash as htpasswd and the toolkit's docs make them: $2a$, $2b$ or $2y$, cost 4..31, 53 characters of salt and hash. */
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

/** Reads, validates and loads `file` (and the certificate and key it names). */
export async function loadWebConfig(file: string): Promise<WebConfig> {
  const text = await readConfigText(file, 'web config file');
  const parsed = parseWebConfig(text, file);
  if (parsed.tls === null) return { file, tls: null, users: parsed.users };
  const { certFile, keyFile, line } = parsed.tls;
  const cert = await readPem(file, certFile, 'tls_server_config.cert_file');
  const key = await readPem(file, keyFile, 'tls_server_config.key_file');
  const tls = { cert: cert.text, key: key.text, minVersion: parsed.tls.minVersion, maxVersion: parsed.tls.maxVersion };
  try {
    createSecureContext(tls);
  } catch (e) {
    // OpenSSL's reason ("key values mismatch", "no start line"), never the files' content.
    throw new ConfigError(file, line, 'tls_server_config', `cannot use the certificate and key: ${cleanText(e instanceof Error ? e.message : String(e))}`);
  }
  return { file, tls, users: parsed.users };
}

/** What {@link parseWebConfig} found: file names still to be read. */
export interface ParsedWebConfig {
  readonly tls: { readonly certFile: { path: string; line: number | null }; readonly keyFile: { path: string; line: number | null }; readonly minVersion: SecureVersion; readonly maxVersion: SecureVersion; readonly line: number | null } | null;
  readonly users: ReadonlyMap<string, string>;
}

/** Validates the text of a web config (the pure part of {@link loadWebConfig}). Relative paths are resolved from the file's directory, as the toolkit does. */
export function parseWebConfig(text: string, file: string): ParsedWebConfig {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) throw tooLarge(file, Buffer.byteLength(text, 'utf8'));
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    throw new ConfigError(file, lines.linePos(problem.pos[0]).line, null, `YAML ${doc.errors[0] ? 'syntax error' : 'problem'}: ${cleanText(problem.message.split('\n')[0] ?? '')}`);
  }
  // An empty file is a valid configuration: plain HTTP, no authentication (as in the toolkit).
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { tls: null, users: new Map() };
  const r = new NodeReader(file, doc, lines);
  const top = r.fields(doc.contents, '', TOP_KEYS);
  const tlsField = top.get('tls_server_config');
  const httpField = top.get('http_server_config');
  if (httpField) readHttp(r, httpField.value, httpField.keyNode);
  const usersField = top.get('basic_auth_users');
  return {
    tls: tlsField ? readTls(r, tlsField.value, tlsField.keyNode, path.dirname(path.resolve(file))) : null,
    users: usersField ? readUsers(r, usersField.value, usersField.keyNode) : new Map(),
  };
}

function readTls(r: NodeReader, node: unknown, keyNode: unknown, dir: string): ParsedWebConfig['tls'] {
  if (r.scalar(node, 'tls_server_config') === null) return null;
  const fields = r.fields(node, 'tls_server_config', TLS_KEYS);
  for (const [key, f] of fields) {
    if (!TLS_SUPPORTED.includes(key)) r.fail(f.keyNode, `tls_server_config.${key}`, `is not supported by vhtop serve (it supports ${TLS_SUPPORTED.join(', ')})`);
  }
  const text = (key: string): { path: string; line: number | null } | null => {
    const f = fields.get(key);
    if (!f) return null;
    const v = r.scalar(f.value, `tls_server_config.${key}`);
    if (v === null || v === '') return null;
    if (typeof v !== 'string') r.fail(f.value ?? f.keyNode, `tls_server_config.${key}`, `must be a file name (got ${describe(f.value)})`);
    return { path: path.resolve(dir, v), line: r.lineOf(f.value ?? f.keyNode) };
  };
  const certFile = text('cert_file');
  const keyFile = text('key_file');
  // Both empty: the toolkit serves plain HTTP; one without the other is a mistake.
  if (certFile === null && keyFile === null) return null;
  if (certFile === null) r.fail(keyNode, 'tls_server_config.cert_file', 'is required when key_file is set');
  if (keyFile === null) r.fail(keyNode, 'tls_server_config.key_file', 'is required when cert_file is set');
  const version = (key: string, fallback: SecureVersion): SecureVersion => {
    const f = fields.get(key);
    if (!f) return fallback;
    const v = r.scalar(f.value, `tls_server_config.${key}`);
    const mapped = typeof v === 'string' ? TLS_VERSIONS[v] : undefined;
    if (mapped === undefined) r.fail(f.value ?? f.keyNode, `tls_server_config.${key}`, `must be one of ${Object.keys(TLS_VERSIONS).join(', ')} (got ${describe(f.value)})`);
    return mapped;
  };
  const minVersion = version('min_version', 'TLSv1.2');
  const maxVersion = version('max_version', 'TLSv1.3');
  if (Object.values(TLS_VERSIONS).indexOf(minVersion) > Object.values(TLS_VERSIONS).indexOf(maxVersion)) {
    r.fail(fields.get('max_version')?.keyNode ?? keyNode, 'tls_server_config.max_version', 'must not be below min_version');
  }
  return { certFile, keyFile, minVersion, maxVersion, line: r.lineOf(keyNode) };
}

function readHttp(r: NodeReader, node: unknown, keyNode: unknown): void {
  if (r.scalar(node, 'http_server_config') === null) return;
  const fields = r.fields(node, 'http_server_config', HTTP_KEYS);
  const headers = fields.get('headers');
  if (headers) r.fail(headers.keyNode, 'http_server_config.headers', 'is not supported by vhtop serve');
  const http2 = fields.get('http2');
  if (http2 && typeof r.scalar(http2.value, 'http_server_config.http2') !== 'boolean') {
    r.fail(http2.value ?? http2.keyNode ?? keyNode, 'http_server_config.http2', `must be true or false (got ${describe(http2.value)})`);
  }
}

function readUsers(r: NodeReader, node: unknown, keyNode: unknown): ReadonlyMap<string, string> {
  const users = new Map<string, string>();
  if (r.scalar(node, 'basic_auth_users') === null) return users;
  const map = r.deref(node, 'basic_auth_users');
  if (!isMap(map)) r.fail(node ?? keyNode, 'basic_auth_users', `must be a mapping of user names to bcrypt hashes (got ${describe(map)})`);
  for (const pair of map.items) {
    const user = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof user !== 'string' || user === '') r.fail(pair.key ?? map, 'basic_auth_users', `user names must be text (got ${describe(pair.key)})`);
    const field = `basic_auth_users.${visible(user, 60)}`;
    if (user.includes(':')) r.fail(pair.key, field, 'a user name cannot contain ":" (HTTP basic auth splits user and password there)');
    if (users.has(user)) r.fail(pair.key, field, 'duplicate user');
    const hash = r.scalar(pair.value, field);
    // The hash itself is never echoed: it is a secret's fingerprint.
    if (typeof hash !== 'string' || !BCRYPT.test(hash)) r.fail(pair.value ?? pair.key, field, 'must be a bcrypt hash ($2a$, $2b$ or $2y$, e.g. from `htpasswd -nBC 10 USER`)');
    users.set(user, hash);
  }
  return users;
}

async function readPem(configFile: string, f: { path: string; line: number | null }, field: string): Promise<{ text: string }> {
  try {
    return { text: await readConfigText(f.path, 'file') };
  } catch (e) {
    const why = e instanceof ConfigError ? e.problem : e instanceof Error ? e.message : String(e);
    throw new ConfigError(configFile, f.line, field, `${visible(f.path, 200)}: ${why}`);
  }
}
