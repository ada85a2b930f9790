/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CMIX_H
#define CMIX_H

#include <linux/mutex.h>
#include <linux/spinlock.h>

extern struct mutex cmix_irq_mutex;
extern spinlock_t cmix_cpu_lock;

void init_IRQ(void);
void cmix_claim_irqs(void);
void cmix_mask_update(void);
void cmix_flush_cpu(void);
void cmix_log_cpu(int cpu);

#endif
