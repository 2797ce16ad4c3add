//! The billing settings of a [`TableDef`](super::TableDef).

/// Read and write capacity units of a provisioned table or GSI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throughput {
    read: u64,
    write: u64,
}

impl Throughput {
    /// `read` and `write` capacity units (DynamoDB requires at least 1 each).
    pub fn new(read: u64, write: u64) -> Self {
        Throughput { read, write }
    }
    /// Read capacity units.
    pub fn read(&self) -> u64 {
        self.read
    }
    /// Write capacity units.
    pub fn write(&self) -> u64 {
        self.write
    }

    pub(crate) fn to_sdk(
        self,
    ) -> Result<aws_sdk_dynamodb::types::ProvisionedThroughput, aws_sdk_dynamodb::error::BuildError>
    {
        aws_sdk_dynamodb::types::ProvisionedThroughput::builder()
            .read_capacity_units(saturate(self.read))
            .write_capacity_units(saturate(self.write))
            .build()
    }
}

/// The SDK's capacity fields are `i64`; larger values are far past any
/// account limit, and DynamoDB refuses them either way.
fn saturate(units: u64) -> i64 {
    i64::try_from(units).unwrap_or(i64::MAX)
}

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Billing {
    /// Pay per request (`PAY_PER_REQUEST`), the default.
    #[default]
    OnDemand,
    /// Provisioned capacity for the table; each GSI gets the same unless
    /// given its own with
    /// [`TableDefBuilder::index_throughput`](super::TableDefBuilder::index_throughput).
    Provisioned(Throughput),
}

impl Billing {
    /// Provisioned billing with `read` and `write` capacity units.
    pub fn provisioned(read: u64, write: u64) -> Self {
        Billing::Provisioned(Throughput::new(read, write))
    }
}
