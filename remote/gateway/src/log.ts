// Structured JSON logs: one console.log of a JSON object per event.
//
// Fields whose names look like secrets are redacted, so a careless caller cannot leak the Vast
// key or a bearer token; callers still never pass headers or env wholesale.

export type Fields = Record<string, unknown>;

const SECRET_KEY = /token|secret|password|authorization|api_?key|cookie/i;

function redact(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = SECRET_KEY.test(k) ? "[redacted]" : v;
  }
  return out;
}

export interface Logger {
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  with(fields: Fields): Logger;
}

export function newLogger(base: Fields = {}): Logger {
  const emit = (level: string, msg: string, fields: Fields = {}) => {
    const rec = { ts: new Date().toISOString(), level, msg, ...redact(base), ...redact(fields) };
    console.log(JSON.stringify(rec));
  };
  return {
    info: (msg, f) => emit("info", msg, f),
    warn: (msg, f) => emit("warn", msg, f),
    error: (msg, f) => emit("error", msg, f),
    with: (f) => newLogger({ ...base, ...f }),
  };
}

/** errorFields turns an unknown thrown value into loggable fields. */
export function errorFields(err: unknown): Fields {
  if (err instanceof Error) return { error: err.message, error_type: err.name };
  return { error: String(err) };
}
