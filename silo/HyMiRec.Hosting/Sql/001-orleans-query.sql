-- The table the Orleans ADO.NET providers read their SQL from, by key. Safe to run again.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);
