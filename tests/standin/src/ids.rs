//! The fixed ids of the seeded data, so that tests can name things without listing them first.
//!
//! Every id has the form `PPPPPPPP-0000-4000-8000-NNNNNNNNNNNN`: a prefix per kind of object and
//! a decimal sequence number. Objects created at run time continue the sequence of their kind.
//! `GET /_standin/seed` returns the same ids as JSON.

use uuid::Uuid;

/// Prefix of organization ids.
pub(crate) const ORGANIZATION_PREFIX: u32 = 0x0a00_0000;
/// Prefix of workspace ids.
pub(crate) const WORKSPACE_PREFIX: u32 = 0x0b00_0000;
/// Prefix of source definition ids.
pub(crate) const SOURCE_DEFINITION_PREFIX: u32 = 0x5d00_0000;
/// Prefix of destination definition ids.
pub(crate) const DESTINATION_DEFINITION_PREFIX: u32 = 0xdd00_0000;
/// Prefix of source ids.
pub(crate) const SOURCE_PREFIX: u32 = 0x5000_0000;
/// Prefix of destination ids.
pub(crate) const DESTINATION_PREFIX: u32 = 0xde00_0000;
/// Prefix of connection ids.
pub(crate) const CONNECTION_PREFIX: u32 = 0xc000_0000;
/// Prefix of error ids (`errorId` in error bodies).
pub(crate) const ERROR_PREFIX: u32 = 0xe000_0000;
/// Prefix of the ids of synchronous jobs (spec, check).
pub(crate) const SYNC_JOB_PREFIX: u32 = 0x5f00_0000;
/// Prefix of customer ids of workspaces.
pub(crate) const CUSTOMER_PREFIX: u32 = 0xcc00_0000;

/// The id with `prefix` and sequence number `n`, written in decimal digits so that the 16th
/// connection ends in `...000000000016`.
pub const fn id(prefix: u32, n: u64) -> Uuid {
    let mut digits = 0u128;
    let mut rest = n;
    let mut shift = 0;
    while rest > 0 && shift < 48 {
        digits |= ((rest % 10) as u128) << shift;
        rest /= 10;
        shift += 4;
    }
    Uuid::from_u128(((prefix as u128) << 96) | (0x4000u128 << 64) | (0x8000u128 << 48) | digits)
}

/// The organization both workspaces belong to.
pub const ORGANIZATION: Uuid = id(ORGANIZATION_PREFIX, 1);
/// Workspace "Analytics": 15 connections, among them the failing and the slow one.
pub const WORKSPACE_ANALYTICS: Uuid = id(WORKSPACE_PREFIX, 1);
/// Workspace "Marketing": 10 active connections and one deleted one.
pub const WORKSPACE_MARKETING: Uuid = id(WORKSPACE_PREFIX, 2);

/// Source definition Postgres.
pub const SOURCE_DEFINITION_POSTGRES: Uuid = id(SOURCE_DEFINITION_PREFIX, 1);
/// Source definition Stripe.
pub const SOURCE_DEFINITION_STRIPE: Uuid = id(SOURCE_DEFINITION_PREFIX, 2);
/// Source definition GitHub.
pub const SOURCE_DEFINITION_GITHUB: Uuid = id(SOURCE_DEFINITION_PREFIX, 3);
/// Source definition HubSpot.
pub const SOURCE_DEFINITION_HUBSPOT: Uuid = id(SOURCE_DEFINITION_PREFIX, 4);
/// Destination definition Postgres.
pub const DESTINATION_DEFINITION_POSTGRES: Uuid = id(DESTINATION_DEFINITION_PREFIX, 1);
/// Destination definition BigQuery.
pub const DESTINATION_DEFINITION_BIGQUERY: Uuid = id(DESTINATION_DEFINITION_PREFIX, 2);
/// Destination definition Snowflake.
pub const DESTINATION_DEFINITION_SNOWFLAKE: Uuid = id(DESTINATION_DEFINITION_PREFIX, 3);

/// Source "Postgres (production)" in Analytics.
pub const SOURCE_POSTGRES_PRODUCTION: Uuid = id(SOURCE_PREFIX, 1);
/// Source "Stripe (revoked key)" in Analytics, whose key the check rejects; only the failing
/// connection reads from it.
pub const SOURCE_STRIPE_REVOKED: Uuid = id(SOURCE_PREFIX, 2);
/// Source "GitHub (airbytehq)" in Analytics.
pub const SOURCE_GITHUB: Uuid = id(SOURCE_PREFIX, 3);
/// Source "HubSpot CRM" in Analytics.
pub const SOURCE_HUBSPOT: Uuid = id(SOURCE_PREFIX, 4);
/// Source "Postgres (marketing)" in Marketing.
pub const SOURCE_POSTGRES_MARKETING: Uuid = id(SOURCE_PREFIX, 5);
/// Source "Stripe (billing)" in Marketing.
pub const SOURCE_STRIPE_BILLING: Uuid = id(SOURCE_PREFIX, 6);

/// Destination "Warehouse (BigQuery)" in Analytics.
pub const DESTINATION_BIGQUERY_WAREHOUSE: Uuid = id(DESTINATION_PREFIX, 1);
/// Destination "Reporting (Postgres)" in Analytics.
pub const DESTINATION_POSTGRES_REPORTING: Uuid = id(DESTINATION_PREFIX, 2);
/// Destination "Snowflake (marketing)" in Marketing.
pub const DESTINATION_SNOWFLAKE_MARKETING: Uuid = id(DESTINATION_PREFIX, 3);
/// Destination "BigQuery (marketing)" in Marketing.
pub const DESTINATION_BIGQUERY_MARKETING: Uuid = id(DESTINATION_PREFIX, 4);

/// A connection whose syncs succeed after the configured number of polls.
pub const CONNECTION_OK: Uuid = id(CONNECTION_PREFIX, 1);
/// A connection whose syncs fail, with a failure summary on the attempt.
pub const CONNECTION_FAILING: Uuid = id(CONNECTION_PREFIX, 2);
/// A connection whose syncs stay running for many polls (`slow_running_polls`).
pub const CONNECTION_SLOW: Uuid = id(CONNECTION_PREFIX, 3);
/// A deleted (deprecated) connection in Marketing: listed only with `includeDeleted=true`.
pub const CONNECTION_DELETED: Uuid = id(CONNECTION_PREFIX, 26);

/// Number of seeded connections that are not deleted.
pub const ACTIVE_CONNECTIONS: usize = 25;
/// The id of the first job a fresh server creates (seeded history uses the ids below it).
pub const FIRST_NEW_JOB_ID: i64 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_decimal_sequence_numbers() {
        assert_eq!(CONNECTION_DELETED.to_string(), "c0000000-0000-4000-8000-000000000026");
        assert_eq!(id(WORKSPACE_PREFIX, 1).to_string(), "0b000000-0000-4000-8000-000000000001");
    }
}
