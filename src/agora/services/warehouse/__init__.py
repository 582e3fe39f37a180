"""The analytics warehouse (seed 004): a DuckDB star schema fed by an incremental ETL from every
service's database, and the analytics answered from it."""
