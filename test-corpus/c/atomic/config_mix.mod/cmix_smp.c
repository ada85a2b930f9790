// SPDX-License-Identifier: GPL-2.0
/* Secondary CPU bring-up, built only with CONFIG_CMIX_SMP (see the Makefile). */
#include <linux/interrupt.h>
#include "cmix.h"

DEFINE_SPINLOCK(cmix_cpu_lock);

void cmix_smp_callin(int cpu)
{
	init_IRQ();

	spin_lock(&cmix_cpu_lock);
	/* Its sleeping body is the !SMP one, never built with this file. */
	cmix_mask_update(); // expect: sleep-in-atomic(conditional)
	/* Built in every configuration: a real bug. */
	cmix_log_cpu(cpu); // expect: sleeping-alloc-in-atomic
	/* Read without an option that does not decide this file's build: a real bug too. */
	cmix_flush_cpu(); // expect: sleep-in-atomic
	spin_unlock(&cmix_cpu_lock);
}
