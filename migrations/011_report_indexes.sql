-- Reports (issue 9) read a tenant's messages and handoffs by time range; without these they scan the whole tables,
-- which grows with the retention period, not with the range asked for.
CREATE INDEX messages_tenant_sent ON messages (tenant_id, sent_at);
CREATE INDEX handoffs_tenant_created ON handoffs (tenant_id, created_at);
