-- The product catalog. Imported from a catalog file; products absent from the latest import are
-- retired (kept for history and references, hidden from prediction).
CREATE TABLE products (
  id          text PRIMARY KEY,
  brand       text NOT NULL,
  name        text NOT NULL,
  category    text NOT NULL DEFAULT '',
  aliases     jsonb NOT NULL DEFAULT '[]'::jsonb,
  manual_url  text,
  image_url   text,
  retired_at  timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_active ON products (id) WHERE retired_at IS NULL;

-- One row per import, so "has the catalog changed?" is one cheap query for every instance.
CREATE TABLE catalog_imports (
  id          bigserial PRIMARY KEY,
  source      text NOT NULL,
  imported    integer NOT NULL,
  changed     integer NOT NULL,
  retired     integer NOT NULL,
  rejected    integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
