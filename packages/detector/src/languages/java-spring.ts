/**
 * Spring Boot's server.port from application.properties / application.yml:
 * `${PORT:8080}` honours PORT, a number is a hard-coded port, absent means 8080.
 */
import { parseAllDocuments } from 'yaml';
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageFindings } from '../types.js';
import { cite, matchLine, pick, warning } from './module-kit.js';

type Port = NonNullable<LanguageFindings['port']>;

function judge(value: string, file: string, line: number | undefined): Port {
  const evidence: Evidence[] = [cite(`server.port = ${value}${/\$\{\s*PORT\b/.test(value) ? '' : ' (set server.port=${PORT:8080} to follow PORT)'}`, file, line)];
  if (/\$\{\s*PORT\b/.test(value)) return { honoursPortEnv: true, hardcoded: null, evidence };
  const port = Number(value);
  if (Number.isInteger(port) && port > 0 && port <= 65535) {
    return { honoursPortEnv: false, hardcoded: port, evidence };
  }
  return { honoursPortEnv: null, hardcoded: null, evidence };
}

/** Decides how a Spring Boot app picks its port. */
export async function readSpringPort(files: AppFiles): Promise<Port> {
  const configs = files.find((p) => /(^|\/)src\/main\/resources\/application\.(properties|ya?ml)$/.test(p));
  for (const file of configs) {
    const text = await files.text(file);
    if (text === null) continue;
    if (file.endsWith('.properties')) {
      const found = matchLine(text, /^\s*server\.port\s*[=:]\s*(.+?)\s*$/m);
      if (found) return judge(found.match[1] ?? '', file, found.line);
      continue;
    }
    let value: unknown;
    try {
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length > 0) throw doc.errors[0];
        const data: unknown = doc.toJS();
        value = pick(data, 'server', 'port') ?? pick(data, 'server.port');
        if (value !== undefined) break;
      }
    } catch (error) {
      files.warn(warning('FILE_INVALID_YAML', `${file} is not valid YAML: ${String((error as Error).message).split('\n')[0]}`, {
        file, hint: `fix the syntax in ${file}`,
      }));
      continue;
    }
    if (value !== undefined) {
      const line = matchLine(text, /^\s*(server\.)?port\s*:/m)?.line;
      return judge(String(value), file, line);
    }
  }
  return {
    honoursPortEnv: false, hardcoded: null,
    evidence: [cite('no server.port: Spring Boot listens on 8080 and does not read PORT (set server.port=${PORT:8080} to follow it)')],
  };
}
