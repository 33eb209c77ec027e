package dev.migrator.demo.order;

import org.springframework.data.jpa.repository.JpaRepository;

interface PurchaseOrderRepository extends JpaRepository<PurchaseOrder, Long> {}
