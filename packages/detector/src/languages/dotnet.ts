/**
 * .NET: C#, F# and VB projects (and solutions), ASP.NET Core, the target framework
 * and global.json SDK pin, the project path when it sits in a subfolder, and ports.
 */
import { z } from 'zod';
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { BUILDERS, cite, found, matchLine, withinDepth } from './module-kit.js';

const PROJECT = /\.(csproj|fsproj|vbproj)$/;

/** What one project file says. */
interface DotnetProject {
  file: string;
  web: boolean;
  test: boolean;
  framework: { value: string; line: number } | null;
  assembly: string;
}

const GlobalJsonSchema = z.object({ sdk: z.object({ version: z.string().optional().catch(undefined) }).passthrough().optional().catch(undefined) }).passthrough();

async function readProject(files: AppFiles, file: string): Promise<DotnetProject> {
  const text = (await files.text(file)) ?? '';
  const tfm = matchLine(text, /<TargetFrameworks?>\s*([\w.;-]+)\s*</);
  const assembly = /<AssemblyName>\s*([\w.-]+)\s*</.exec(text)?.[1] ?? file.slice(file.lastIndexOf('/') + 1).replace(PROJECT, '');
  return {
    file,
    web: /Sdk\s*=\s*"Microsoft\.NET\.Sdk\.Web"/.test(text),
    test: /Microsoft\.NET\.Test\.Sdk|<IsTestProject>\s*true/i.test(text) || /(^|[./])Tests?(\.|\/|$)/.test(file),
    framework: tfm ? { value: (tfm.match[1] ?? '').split(';')[0] ?? '', line: tfm.line } : null,
    assembly,
  };
}

/** "net8.0" -> "8.0"; "netcoreapp3.1" -> "3.1". */
function runtimeOf(tfm: string): string | null {
  return /^net(?:coreapp)?(\d+\.\d+)/.exec(tfm)?.[1] ?? null;
}

/** Port literals in code or settings that beat ASPNETCORE_URLS. */
async function findHardcodedPort(files: AppFiles): Promise<{ port: number; file: string; line: number } | null> {
  const sources = files.find((p) => (p.endsWith('.cs') || p.endsWith('.fs') || /(^|\/)appsettings\.json$/.test(p)) && !/(^|\/)(bin|obj|tests?)\//i.test(p)).slice(0, 300);
  const pattern = /(?:UseUrls\(\s*"|\.Run(?:Async)?\(\s*"|"Urls"\s*:\s*")https?:\/\/[^":]+:(\d{2,5})|Listen(?:AnyIP|Localhost)?\(\s*(?:IPAddress\.\w+\s*,\s*)?(\d{2,5})\s*[,)]/;
  for (const file of sources) {
    const hit = matchLine((await files.text(file)) ?? '', pattern);
    const port = Number(hit?.match[1] ?? hit?.match[2]);
    if (hit && port > 0 && port <= 65535) return { port, file, line: hit.line };
  }
  return null;
}

/** The .NET language module. */
export const dotnet: LanguageDetector = {
  language: 'dotnet',
  score(files) {
    const projects = files.files.filter((p) => PROJECT.test(p) && withinDepth(p, 2));
    if (projects.length === 0) return files.files.some((p) => /\.slnx?$/.test(p) && withinDepth(p, 0)) ? 5 : 0;
    return projects.some((p) => withinDepth(p, 0)) ? 12 : 10;
  },
  async detect(files): Promise<LanguageFindings> {
    const projects = await Promise.all(files.find((p) => PROJECT.test(p) && withinDepth(p, 3)).slice(0, 50).map((p) => readProject(files, p)));
    const apps = projects.filter((p) => !p.test);
    const chosen = apps.find((p) => p.web) ?? apps[0] ?? projects[0];
    if (!chosen) return { language: found('dotnet', cite('a solution without project files')) };
    const projectDir = chosen.file.includes('/') ? chosen.file.slice(0, chosen.file.lastIndexOf('/')) : '.';
    const env: Record<string, string> = {};
    const envEvidence: Evidence[] = [];
    const choice: Evidence[] = [cite(`${chosen.file} is the ${chosen.web ? 'ASP.NET Core web project' : 'app project'}`, chosen.file)];
    if (apps.filter((p) => p.web).length > 1) choice.push(cite(`other web projects not built: ${apps.filter((p) => p.web && p !== chosen).map((p) => p.file).join(', ')}`));
    if (projectDir !== '.') {
      env.BP_DOTNET_PROJECT_PATH = projectDir;
      envEvidence.push(cite(`BP_DOTNET_PROJECT_PATH=${projectDir}: the project is not at the app root`, chosen.file));
    }
    const globalJson = files.has('global.json') ? GlobalJsonSchema.safeParse(await files.json('global.json')) : null;
    const sdk = globalJson?.success ? globalJson.data.sdk?.version ?? null : null;
    const runtime = chosen.framework ? runtimeOf(chosen.framework.value) : null;
    let version: string | null = runtime;
    const versionEvidence: Evidence[] = chosen.framework
      ? [cite(`TargetFramework ${chosen.framework.value}`, chosen.file, chosen.framework.line)]
      : [cite('no TargetFramework found')];
    if (sdk) {
      // The SDK buildpack reads global.json itself; BP_DOTNET_SDK_VERSION would override its rollForward rules.
      const [major, minor] = sdk.split('.');
      envEvidence.push(cite(`global.json pins SDK ${sdk}; Paketo's .NET SDK buildpack reads it, so BP_DOTNET_SDK_VERSION is left unset`, 'global.json'));
      versionEvidence.push(cite(`pins SDK ${sdk}`, 'global.json'));
      version ??= `${major}.${minor}`;
    }
    const hard = await findHardcodedPort(files);
    const portEvidence: Evidence[] = [];
    if (hard) portEvidence.push(cite(`listens on the literal port ${hard.port}, which beats ASPNETCORE_URLS`, hard.file, hard.line));
    portEvidence.push(cite('Paketo\'s .NET launcher sets ASPNETCORE_URLS from PORT (8080 when unset)'));
    const tests = projects.filter((p) => p.test);
    return {
      name: found(chosen.assembly, cite('assembly name', chosen.file)),
      language: found('dotnet', ...choice),
      packageManager: found('nuget', cite('the dotnet CLI restores NuGet packages', chosen.file)),
      framework: found(chosen.web ? 'aspnet-core' : null, chosen.web ? cite('Sdk="Microsoft.NET.Sdk.Web"', chosen.file) : cite('not a web SDK project')),
      runtimeVersion: found(version, ...versionEvidence),
      buildCommand: found(`dotnet publish ${chosen.file} -c Release`, cite('the .NET buildpack publishes the project')),
      start: found(`dotnet ${chosen.assembly}.dll`, cite('Paketo\'s dotnet-execute runs the published assembly as the web process')),
      test: found(tests.length ? 'dotnet test' : null, tests.length ? cite(`test project ${tests[0]!.file}`, tests[0]!.file) : cite('no test project')),
      port: { honoursPortEnv: !hard, hardcoded: hard?.port ?? null, evidence: portEvidence },
      builder: found(BUILDERS.paketoBase, cite('Paketo builds .NET projects and honours BP_DOTNET_PROJECT_PATH')),
      buildpacks: found([], cite('the builder\'s own order detects .NET')),
      buildEnv: found(env, ...envEvidence),
    };
  },
};
