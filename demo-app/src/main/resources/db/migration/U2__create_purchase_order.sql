-- Undo of V2.
DROP TABLE order_line;
DROP TABLE purchase_order;
