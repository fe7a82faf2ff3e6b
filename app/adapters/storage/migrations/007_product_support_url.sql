-- The product's own support page (the catalog's optional `supportUrl`): where a customer reaches a
-- person when the manual cannot help, unless the operator set SUPPORT_URL. NULL when the catalog has none.
ALTER TABLE products ADD COLUMN support_url text;
