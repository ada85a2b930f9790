// SPDX-License-Identifier: GPL-2.0
/* Helpers built in every configuration: their bodies do not depend on CONFIG_CMIX_SMP. */
#include <linux/slab.h>
#include "cmix.h"

static void *cmix_log;

void cmix_log_cpu(int cpu)
{
	kfree(cmix_log);
	cmix_log = kzalloc(64 + cpu, GFP_KERNEL);
}

#ifdef CONFIG_CMIX_TRACE
void cmix_flush_cpu(void)
{
}
#else
/* Read without CONFIG_CMIX_TRACE, which does not decide whether cmix_smp.c is built. */
void cmix_flush_cpu(void)
{
	mutex_lock(&cmix_irq_mutex);
	mutex_unlock(&cmix_irq_mutex);
}
#endif
