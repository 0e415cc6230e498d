-- The merchant's brand colour on the hosted recovery page (web/BrandColours picks a text colour
-- that keeps the pay button readable). NULL = Tinko's default blue.
ALTER TABLE orgs ADD COLUMN brand_color TEXT CHECK (brand_color ~ '^#[0-9a-f]{6}$');
