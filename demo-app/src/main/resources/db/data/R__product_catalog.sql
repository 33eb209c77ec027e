-- The product catalog as it is now. Edit this file and the next start applies it: a repeatable data migration runs
-- again whenever its checksum changes. Schema migration V1 seeded the first four products and stays as it was
-- applied; this file owns the catalog from now on.
--
-- An upsert by SKU, so it applies to any database whatever ran before. Rows that already match are left alone (no
-- dead row versions), and a product dropped from this list stays in the table because order lines refer to it.
INSERT INTO product AS p (sku, name, price_cents) VALUES
    ('TEA-SENCHA-100', 'Sencha green tea, 100 g', 790),
    ('TEA-ASSAM-250', 'Assam black tea, 250 g', 1290),
    ('TEA-ROOIBOS-100', 'Rooibos, 100 g', 650),
    ('MUG-STONEWARE', 'Stoneware mug, 0.3 l', 1450),
    ('POT-CAST-IRON', 'Cast-iron teapot, 0.8 l', 4490),
    ('STRAINER-MESH', 'Mesh tea strainer', 590)
ON CONFLICT (sku) DO UPDATE
    SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents
    WHERE (p.name, p.price_cents) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.price_cents);
