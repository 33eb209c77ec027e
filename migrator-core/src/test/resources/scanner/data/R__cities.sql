INSERT INTO city (name) VALUES ('Zürich');
