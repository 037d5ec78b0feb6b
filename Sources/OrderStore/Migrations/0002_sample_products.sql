-- The sample catalog of docs/database.md, each with stock 100. Existing rows (and their current stock)
-- are left alone.
INSERT INTO products (id, name, price, stock) VALUES
    ('PROD-001', 'Laptop Dell XPS 13', 1299.99, 100),
    ('PROD-002', 'iPhone 15 Pro', 999.99, 100),
    ('PROD-003', 'Samsung 4K TV', 799.99, 100),
    ('PROD-004', 'Wireless Headphones', 299.99, 100),
    ('PROD-005', 'Gaming Mouse', 89.99, 100)
ON CONFLICT (id) DO NOTHING;
