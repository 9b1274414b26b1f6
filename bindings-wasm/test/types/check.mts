// Compiled with `tsc --strict --noEmit` by bindings-wasm/run-tests against the built package.
// Each `@ts-expect-error` line must fail to compile: if the declarations were too loose (`any`,
// a missing operation, a wrong field type), tsc reports the unused directive and the check fails.

import {
  AirbyteApiError,
  AirbyteClient,
  AirbyteError,
  buildRequest,
  decodeWidgetToken,
  parseResponse,
  scheduleWidgetTokenRefresh,
  type ConfigApi,
  type HttpRequest,
  type Input,
  type JobReport,
  type Output,
  type PublicApi,
} from "airbyte-core";
import * as publicOnly from "airbyte-core/public";

export async function usage(signal: AbortSignal): Promise<void> {
  const client = new AirbyteClient({
    baseUrl: "http://localhost:8000",
    credentials: { clientId: "id", clientSecret: "secret" },
    retry: { maxAttempts: 3 },
  });

  // A real operation: input, output and options are typed.
  const job = await client.public.getJob({ jobId: 1 }, { signal });
  const jobId: number = job.jobId;
  const status: PublicApi.JobStatusEnum = job.status;
  const rows: number | undefined = job.rowsSynced;
  // @ts-expect-error jobId is a number
  await client.public.getJob({ jobId: "1" });
  // @ts-expect-error the input is required
  await client.public.getJob();
  // @ts-expect-error there is no such operation
  await client.public.getJobs({ jobId: 1 });
  // @ts-expect-error the status is a string, not a number
  const wrongStatus: number = job.status;
  // @ts-expect-error rowsSynced is optional
  const wrongRows: number = job.rowsSynced;

  // Operations without required input take none; generic calls name the API.
  const workspaces = await client.public.listWorkspaces();
  const firstName: string | undefined = workspaces.data[0]?.name;
  const same: PublicApi.WorkspacesResponse = await client.call("public", "listWorkspaces");
  // @ts-expect-error the Configuration API has no `listWorkspaces` operation
  await client.call("config", "listWorkspaces");

  // Open enums take values a newer server may send, and offer the known ones.
  const kind: PublicApi.JobTypeEnum = "a-future-kind";
  const known: PublicApi.JobTypeEnum = "sync";

  // Pages hand out the list's items.
  for await (const connection of client.paginate("public", "listConnections", { workspaceIds: ["w"] }, { pageSize: 5 })) {
    const name: string = connection.name;
    // @ts-expect-error items are ConnectionResponse objects
    const wrongName: number = connection.name;
  }
  for await (const page of client.pages("config", "listSourcesForWorkspace", { body: { workspaceId: "w" } })) {
    const sources: ConfigApi.SourceRead[] = page;
  }
  // @ts-expect-error getJob does not page
  client.paginate("public", "getJob", { jobId: 1 });

  // Configuration API: bodies under `body`, nullable and optional fields.
  const spec = await client.config.getSourceDefinitionSpecification({
    body: { sourceDefinitionId: "d", workspaceId: "w" },
  });
  const schema: ConfigApi.JsonValue | undefined = spec.connectionSpecification;
  const created = await client.config.createSource({
    body: { sourceDefinitionId: "d", workspaceId: "w", name: "n", connectionConfiguration: { host: "h", port: 5432 } },
  });
  const check = await client.config.checkConnectionToSource({ body: { sourceId: created.sourceId } });
  const checkStatus: "succeeded" | "failed" | (string & {}) | undefined = check.status;
  // @ts-expect-error createSource needs a name
  await client.config.createSource({ body: { sourceDefinitionId: "d", workspaceId: "w", connectionConfiguration: {} } });

  // Jobs and tokens.
  const report: JobReport = await client.runJob("c", {
    kind: "sync",
    timeoutMs: null,
    onProgress: (progress) => {
      const current: string = progress.status;
    },
  });
  const outcome: "succeeded" | "failed" | "cancelled" | "timed_out" = report.outcome;
  // @ts-expect-error unknown job kind
  await client.runJob("c", { kind: "resync" });
  const token: string | null = await client.accessToken();
  const widget: string = await client.createWidgetToken({
    organizationId: "o",
    externalUserId: "u",
    allowedOrigin: "https://app.example.com",
  });

  // Sans-IO.
  const request: HttpRequest = buildRequest("public", "getJob", { jobId: 1 }, { baseUrl: "cloud" });
  const info: ConfigApi.JobInfoRead = parseResponse("config", "getJobInfo", { status: 200, body: "{}" });
  const input: Input<"public", "createJob"> = { body: { connectionId: "c", jobType: "sync" } };
  const output: Output<"public", "createJob"> = await client.public.createJob(input);
  // @ts-expect-error the body is required
  buildRequest("public", "createJob", {});

  // Errors.
  try {
    await client.public.getJob({ jobId: 2 });
  } catch (error) {
    if (error instanceof AirbyteApiError) {
      const code: number | null = error.status;
      const problem: string | null = error.problemType;
      const raw: string | null = error.body;
    }
    const base: boolean = error instanceof AirbyteError;
  }

  // Widget tokens.
  const decoded = decodeWidgetToken("e30");
  const expiresAt: number | undefined = decoded.expiresAt;
  const refresh = scheduleWidgetTokenRefresh({ token: decoded, fetchToken: async () => "e30", signal });
  refresh.stop();

  // The public-only entry point has no Configuration API.
  const small = new publicOnly.AirbyteClient({ baseUrl: "cloud" });
  const smallJob: publicOnly.JobResponse = await small.public.getJob({ jobId: 1 });
  // @ts-expect-error no Configuration API in airbyte-core/public
  small.config;
}
