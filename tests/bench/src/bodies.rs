//! Response bodies of the four benchmark workloads, built as typed values of the core's models
//! and serialized with `serde_json`: every field name and type is one the spec declares, and the
//! key order is the spec's, as the server writes it.
//!
//! Values come from a fixed-seed generator, so a body is the same bytes on every run and
//! machine. Sizes follow what large deployments return: ids increase, timestamps advance,
//! statuses and job types are mixed in fixed proportions, most attempts succeed at the first try.

use airbyte_core::config_api::models as cm;
use airbyte_core::public_api::models as pm;
use airbyte_core::{Api, Timestamp};
use serde_json::{json, Value};

/// One benchmark workload: an operation and how many items its generated body holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Short name, used for file names and benchmark ids.
    pub name: &'static str,
    /// The API of the operation.
    pub api: Api,
    /// The operation whose response this is.
    pub operation: &'static str,
    /// Items at full size (jobs, streams, definitions).
    pub items: usize,
    /// Items in `--tiny` runs.
    pub tiny_items: usize,
    /// What an item is, for reports.
    pub unit: &'static str,
}

/// The four workloads, in report order.
pub const WORKLOADS: [Workload; 4] = [
    Workload {
        name: "public_listJobs",
        api: Api::Public,
        operation: "listJobs",
        items: 10_000,
        tiny_items: 20,
        unit: "jobs",
    },
    Workload {
        name: "config_listJobsFor",
        api: Api::Config,
        operation: "listJobsFor",
        items: 10_000,
        tiny_items: 20,
        unit: "jobs with attempts and stats",
    },
    Workload {
        name: "config_discoverSchemaForSource",
        api: Api::Config,
        operation: "discoverSchemaForSource",
        items: 500,
        tiny_items: 5,
        unit: "streams",
    },
    Workload {
        name: "config_listSourceDefinitions",
        api: Api::Config,
        operation: "listSourceDefinitions",
        items: 600,
        tiny_items: 6,
        unit: "definitions",
    },
];

impl Workload {
    /// The workload called `name`.
    pub fn named(name: &str) -> Option<Workload> {
        WORKLOADS.iter().copied().find(|w| w.name == name)
    }

    /// The JSON body with `items` items.
    pub fn body(&self, items: usize) -> Vec<u8> {
        let written = match self.operation {
            "listJobs" => serde_json::to_vec(&public_jobs(items)),
            "listJobsFor" => serde_json::to_vec(&config_jobs(items)),
            "discoverSchemaForSource" => serde_json::to_vec(&discovered_catalog(items)),
            _ => serde_json::to_vec(&source_definitions(items)),
        };
        // Serializing these models cannot fail: they hold no maps with non-string keys.
        written.unwrap_or_default()
    }
}

/// A small deterministic generator (SplitMix64): the same sequence on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one workload; the seed is fixed per workload.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..high` (`high > low`).
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next_u64() % (high - low) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// A version-4-shaped UUID.
    pub fn uuid(&mut self) -> uuid::Uuid {
        let bits = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        let bits = (bits & !(0xf000 << 64)) | (0x4000 << 64); // version 4
        let bits = (bits & !(0xc000 << 48)) | (0x8000 << 48); // RFC 4122 variant
        uuid::Uuid::from_u128(bits)
    }
}

/// 2026-01-01T00:00:00Z in seconds since the epoch: the first job's creation time.
const START: i64 = 1_767_225_600;

/// An ISO 8601 UTC timestamp (`2026-01-01T00:00:00Z`) of `epoch` seconds (not before 1970).
pub fn iso_time(epoch: i64) -> String {
    Timestamp::from_unix_secs(u64::try_from(epoch).unwrap_or(0)).to_string()
}

/// An ISO 8601 duration (`PT1H2M3S`).
fn iso_duration(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("PT{s}S"),
        (0, _) => format!("PT{m}M{s}S"),
        _ => format!("PT{h}H{m}M{s}S"),
    }
}

/// Connections the jobs belong to: a large workspace has a few hundred.
fn connections(rng: &mut Rng, count: usize) -> Vec<uuid::Uuid> {
    (0..count).map(|_| rng.uuid()).collect()
}

/// Public API `listJobs`: a page of `count` jobs, newest first as the server orders them.
pub fn public_jobs(count: usize) -> pm::JobsResponse {
    let mut rng = Rng::new(1);
    let connections = connections(&mut rng, 200);
    let data = (0..count)
        .map(|i| {
            let status = match rng.range(0, 100) {
                0..=84 => pm::JobStatusEnum::Succeeded,
                85..=92 => pm::JobStatusEnum::Failed,
                93..=96 => pm::JobStatusEnum::Cancelled,
                _ => pm::JobStatusEnum::Running,
            };
            let job_type = match rng.range(0, 100) {
                0..=93 => pm::JobTypeEnum::Sync,
                94..=96 => pm::JobTypeEnum::Reset,
                97..=98 => pm::JobTypeEnum::Refresh,
                _ => pm::JobTypeEnum::Clear,
            };
            let start = START + 60 * (count - i) as i64;
            let connection = connections[rng.range(0, connections.len() as i64) as usize];
            let running = status == pm::JobStatusEnum::Running;
            let mut job = pm::JobResponse::new(
                9_000_000 + (count - i) as i64,
                status,
                job_type,
                iso_time(start),
                connection,
            );
            let elapsed = rng.range(20, 7_200);
            job.last_updated_at = Some(iso_time(start + elapsed));
            if !running {
                job.duration = Some(iso_duration(elapsed));
            }
            let rows = rng.range(0, 5_000_000);
            job.rows_synced = Some(rows);
            job.bytes_synced = Some(rows * rng.range(80, 900));
            job
        })
        .collect();
    let mut page = pm::JobsResponse::new(data);
    page.next =
        Some(format!("http://localhost:8000/api/public/v1/jobs?limit={count}&offset={count}"));
    page
}

/// Stream names of a connection's catalog.
const STREAMS: [&str; 12] = [
    "users",
    "orders",
    "order_items",
    "products",
    "invoices",
    "payments",
    "customers",
    "events",
    "subscriptions",
    "refunds",
    "accounts",
    "sessions",
];

/// Attempt statistics that add up the way the platform reports them.
fn attempt_stats(rng: &mut Rng, records: i64) -> cm::AttemptStats {
    let bytes = records * rng.range(100, 700);
    let mut stats = cm::AttemptStats::new();
    stats.records_emitted = Some(records);
    stats.bytes_emitted = Some(bytes);
    stats.state_messages_emitted = Some(rng.range(1, 200));
    stats.records_committed = Some(records);
    stats.bytes_committed = Some(bytes);
    stats.records_rejected = Some(0);
    stats
}

/// Configuration API `listJobsFor`: `count` sync jobs, each with its attempts, totals and
/// per-stream statistics.
pub fn config_jobs(count: usize) -> cm::JobReadList {
    let mut rng = Rng::new(2);
    let connections = connections(&mut rng, 200);
    let jobs = (0..count)
        .map(|i| {
            let id = 9_000_000 + (count - i) as i64;
            let created = START + 60 * (count - i) as i64;
            let connection = connections[rng.range(0, connections.len() as i64) as usize];
            let status = match rng.range(0, 100) {
                0..=86 => cm::JobStatus::Succeeded,
                87..=94 => cm::JobStatus::Failed,
                _ => cm::JobStatus::Cancelled,
            };
            let attempts = match (rng.range(0, 100), &status) {
                (_, cm::JobStatus::Failed) => 3,
                (0..=89, _) => 1,
                (90..=97, _) => 2,
                _ => 3,
            };
            let streams = rng.range(1, 5) as usize;
            let offset = rng.range(0, STREAMS.len() as i64) as usize;
            let names: Vec<&str> =
                (0..streams).map(|s| STREAMS[(offset + s) % STREAMS.len()]).collect();

            let mut at = created;
            let mut attempt_list = Vec::with_capacity(attempts);
            let mut per_stream_totals = vec![0i64; streams];
            for n in 0..attempts {
                let last = n + 1 == attempts;
                let succeeded = last && status == cm::JobStatus::Succeeded;
                let attempt_status = if succeeded {
                    cm::AttemptStatus::Succeeded
                } else {
                    cm::AttemptStatus::Failed
                };
                let elapsed = rng.range(20, 3_600);
                let mut attempt = cm::AttemptRead::new(n as i64, attempt_status, at, at + elapsed);
                attempt.ended_at = Some(at + elapsed);
                let mut total = 0;
                let stream_stats = names
                    .iter()
                    .enumerate()
                    .map(|(s, name)| {
                        let records = rng.range(0, 400_000);
                        total += records;
                        per_stream_totals[s] += records;
                        let mut stats = cm::AttemptStreamStats::new(
                            (*name).to_owned(),
                            attempt_stats(&mut rng, records),
                        );
                        stats.stream_namespace = Some("public".to_owned());
                        stats
                    })
                    .collect();
                let stats = attempt_stats(&mut rng, total);
                attempt.bytes_synced = stats.bytes_committed;
                attempt.records_synced = stats.records_committed;
                attempt.total_stats = Some(stats);
                attempt.stream_stats = Some(stream_stats);
                if !succeeded {
                    let mut failure = cm::FailureReason::new((at + elapsed) * 1000);
                    failure.failure_origin = Some(cm::FailureOrigin::Source);
                    failure.failure_type = Some(cm::FailureType::TransientError);
                    failure.external_message =
                        Some("Something went wrong in the connector. See the logs.".to_owned());
                    failure.internal_message =
                        Some("java.net.SocketTimeoutException: Read timed out".to_owned());
                    failure.retryable = Some(true);
                    let mut summary = cm::AttemptFailureSummary::new(vec![failure]);
                    summary.partial_success = Some(false);
                    attempt.failure_summary = Some(summary);
                }
                attempt_list.push(attempt);
                at += elapsed + 30;
            }

            let mut job = cm::JobRead::new(
                id,
                cm::JobConfigType::Sync,
                connection.to_string(),
                created,
                at,
                status,
            );
            job.started_at = Some(created + 5);
            let records: i64 = per_stream_totals.iter().sum();
            let bytes = records * 350;
            job.aggregated_stats =
                Some(cm::JobAggregatedStats::new(records, bytes, records, bytes, 0));
            job.stream_aggregated_stats = Some(
                names
                    .iter()
                    .zip(&per_stream_totals)
                    .map(|(name, records)| {
                        let mut stats = cm::StreamStats::new(
                            (*name).to_owned(),
                            *records,
                            records * 350,
                            *records,
                            records * 350,
                            0,
                        );
                        stats.stream_namespace = Some("public".to_owned());
                        stats.was_backfilled = Some(false);
                        stats.was_resumed = Some(false);
                        stats
                    })
                    .collect(),
            );
            let mut entry = cm::JobWithAttemptsRead::new();
            entry.job = Some(job);
            entry.attempts = Some(attempt_list);
            entry
        })
        .collect();
    cm::JobReadList::new(jobs, count as i64 * 3)
}

/// Column types of discovered tables, as JSON Schema with Airbyte's type annotations.
fn column_schema(rng: &mut Rng) -> Value {
    match rng.range(0, 8) {
        0 | 1 => json!({"type": ["null", "string"]}),
        2 => json!({"type": ["null", "integer"]}),
        3 => json!({"type": ["null", "number"]}),
        4 => json!({"type": ["null", "boolean"]}),
        5 => json!({"type": ["null", "string"], "format": "date-time",
                    "airbyte_type": "timestamp_with_timezone"}),
        6 => json!({"type": ["null", "string"], "format": "date"}),
        _ => json!({"type": ["null", "object"], "additionalProperties": true}),
    }
}

/// Configuration API `discoverSchemaForSource`: a database catalog of `count` tables with 5 to
/// 40 columns each, every stream selected for incremental dedup.
pub fn discovered_catalog(count: usize) -> cm::SourceDiscoverSchemaRead {
    let mut rng = Rng::new(3);
    let streams = (0..count)
        .map(|i| {
            let name = format!("{}_{i:03}", STREAMS[i % STREAMS.len()]);
            let columns = rng.range(5, 41);
            let mut properties = serde_json::Map::new();
            properties.insert("id".to_owned(), json!({"type": ["null", "integer"]}));
            properties.insert(
                "updated_at".to_owned(),
                json!({"type": ["null", "string"], "format": "date-time",
                       "airbyte_type": "timestamp_with_timezone"}),
            );
            for c in 2..columns {
                properties.insert(format!("column_{c:02}"), column_schema(&mut rng));
            }
            let schema = json!({
                "type": "object",
                "$schema": "http://json-schema.org/draft-07/schema#",
                "properties": properties,
                "additionalProperties": true,
            });
            let cursor = vec!["updated_at".to_owned()];
            let key = vec![vec!["id".to_owned()]];

            let mut stream = cm::AirbyteStream::new(name.clone());
            stream.json_schema = Some(schema);
            stream.supported_sync_modes =
                Some(vec![cm::SyncMode::FullRefresh, cm::SyncMode::Incremental]);
            stream.source_defined_cursor = Some(false);
            stream.default_cursor_field = Some(cursor.clone());
            stream.source_defined_primary_key = Some(key.clone());
            stream.namespace = Some("public".to_owned());
            stream.is_resumable = Some(true);

            let mut config = cm::AirbyteStreamConfiguration::new(
                cm::SyncMode::Incremental,
                cm::DestinationSyncMode::AppendDedup,
            );
            config.cursor_field = Some(cursor);
            config.primary_key = Some(key);
            config.alias_name = Some(name);
            config.selected = Some(true);
            config.suggested = Some(true);
            config.field_selection_enabled = Some(false);

            let mut entry = cm::AirbyteStreamAndConfiguration::new();
            entry.stream = Some(stream);
            entry.config = Some(config);
            entry
        })
        .collect();
    let mut job = cm::SynchronousJobRead::new(
        rng.uuid(),
        cm::JobConfigType::DiscoverSchema,
        START * 1000,
        START * 1000 + 41_250,
        true,
    );
    job.config_id = Some(rng.uuid().to_string());
    job.log_type = Some(cm::LogFormatType::Formatted);
    job.logs = Some(cm::SynchronousJobReadLogs::LogRead(cm::LogRead::new(
        (0..20)
            .map(|n| format!("2026-01-01 00:00:{n:02} INFO i.a.w.g.DiscoverCatalog: step {n}"))
            .collect(),
    )));
    let mut read = cm::SourceDiscoverSchemaRead::new(job);
    read.catalog = Some(cm::AirbyteCatalog::new(streams));
    read.catalog_id = Some(rng.uuid());
    read
}

/// Words connector names are made of.
const NAMES: [&str; 16] = [
    "Postgres",
    "MySQL",
    "Salesforce",
    "Stripe",
    "HubSpot",
    "GitHub",
    "Google Ads",
    "Shopify",
    "Zendesk",
    "Jira",
    "S3",
    "BigQuery",
    "Slack",
    "Notion",
    "Intercom",
    "Marketo",
];

/// Configuration API `listSourceDefinitions`: `count` connector definitions as the registry of a
/// current deployment lists them.
pub fn source_definitions(count: usize) -> cm::SourceDefinitionReadList {
    let mut rng = Rng::new(4);
    let definitions = (0..count)
        .map(|i| {
            let base = NAMES[i % NAMES.len()];
            let name = if i < NAMES.len() { base.to_owned() } else { format!("{base} {i}") };
            let slug = name.to_lowercase().replace(' ', "-");
            let tag = format!("{}.{}.{}", rng.range(0, 6), rng.range(0, 30), rng.range(0, 20));
            let mut definition = cm::SourceDefinitionRead::new(
                rng.uuid(),
                name,
                format!("airbyte/source-{slug}"),
                tag,
            );
            definition.documentation_url =
                Some(format!("https://docs.airbyte.com/integrations/sources/{slug}"));
            definition.icon = Some(format!(
                "https://connectors.airbyte.com/files/metadata/airbyte/source-{slug}/latest/icon.svg"
            ));
            definition.protocol_version = Some("0.2.0".to_owned());
            definition.custom = Some(false);
            definition.enterprise = Some(false);
            let certified = rng.percent(20);
            definition.support_level = Some(if certified {
                cm::SupportLevel::Certified
            } else {
                cm::SupportLevel::Community
            });
            definition.release_stage = Some(if certified {
                cm::ReleaseStage::GenerallyAvailable
            } else {
                cm::ReleaseStage::Alpha
            });
            definition.release_date = Some(format!("20{:02}-0{}-1{}", 21 + i % 5, 1 + i % 9, i % 10));
            definition.source_type = Some(match i % 3 {
                0 => cm::SourceDefinitionReadSourceType::Api,
                1 => cm::SourceDefinitionReadSourceType::Database,
                _ => cm::SourceDefinitionReadSourceType::File,
            });
            definition.max_seconds_between_messages = Some(86_400);
            definition.last_published = Some(iso_time(START - rng.range(0, 30_000_000)));
            definition.cdk_version = Some(format!("python:6.{}.0", rng.range(0, 60)));
            definition.metrics = Some(json!({
                "all": {"usage": "low", "sync_success_rate": "high", "connector_version": "1.0.0"},
                "cloud": {"usage": "medium", "sync_success_rate": "high"},
            }));
            definition.language = Some("python".to_owned());
            definition
        })
        .collect();
    cm::SourceDefinitionReadList::new(definitions)
}
