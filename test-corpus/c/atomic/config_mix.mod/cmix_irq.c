// SPDX-License-Identifier: GPL-2.0
/*
 * init_IRQ() runs on the boot CPU from start_kernel() and, with SMP, again on each secondary CPU
 * (cmix_smp.c), where the SMP branch skips the claim. Read header-less, the !SMP branch is the one
 * analysed: there only start_kernel() calls init_IRQ(), so the mutex taken with interrupts off is
 * an early-boot finding (conditional), not one of the secondary CPUs' bring-up.
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include "cmix.h"

DEFINE_MUTEX(cmix_irq_mutex);
static unsigned long cmix_enabled_mask;

void cmix_claim_irqs(void)
{
	mutex_lock(&cmix_irq_mutex);
	cmix_enabled_mask |= 1;
	mutex_unlock(&cmix_irq_mutex);
}

void init_IRQ(void)
{
	local_irq_disable();
#ifdef CONFIG_CMIX_SMP
	if (!cmix_enabled_mask)
		cmix_claim_irqs();
#else
	cmix_claim_irqs(); // expect: sleep-in-atomic(conditional)
#endif
	local_irq_enable();
}

/*
 * With SMP the mask lives in per-CPU data and no lock is taken; the !SMP body sleeps. cmix_smp.c
 * calls it under a spinlock: that chain joins two configurations, so it is conditional.
 */
void cmix_mask_update(void)
{
#ifdef CONFIG_CMIX_SMP
	cmix_enabled_mask |= 2;
#else
	mutex_lock(&cmix_irq_mutex);
	cmix_enabled_mask |= 2;
	mutex_unlock(&cmix_irq_mutex);
#endif
}
