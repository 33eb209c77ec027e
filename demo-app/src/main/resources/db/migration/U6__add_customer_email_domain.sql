-- Undo of V6: the derived column goes; D3 fills it again after V6 is applied again.
ALTER TABLE customer DROP COLUMN email_domain;
