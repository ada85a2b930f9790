// SPDX-License-Identifier: GPL-2.0
/*
 * Early boot: start_kernel() runs its setup on the boot CPU as the only task, before rest_init()
 * lets the scheduler run anything else. A mutex taken there cannot be contended and
 * __might_resched() does not check, so a sleeping call under a spinlock or with interrupts off is
 * reported, but graded conditional. The same code reached from module_init, which runs later from
 * kernel_init with the scheduler up, is a real bug.
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

extern void (*late_time_init)(void);

struct eb_board_ops {
	void (*irq_setup)(void);
	void (*timer_setup)(void);
};

static DEFINE_SPINLOCK(eb_lock);
static DEFINE_MUTEX(eb_mutex);
static void *eb_table;
static void (*eb_saved_test)(void);

/* init_IRQ() is one of the functions start_kernel() calls. */
void __init init_IRQ(void)
{
	unsigned long flags;

	local_irq_save(flags);
	eb_table = kzalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic(conditional)
	local_irq_restore(flags);
}

bool eb_hw_ready(void);

/*
 * Always takes a mutex, allocates only before the hardware is ready: at a call in atomic context
 * the mutex is the finding (its chain needs no condition), early boot or not.
 */
static void eb_register_timer_irq(void)
{
	mutex_lock(&eb_mutex);
	if (!eb_hw_ready())
		eb_table = kzalloc(32, GFP_KERNEL);
	mutex_unlock(&eb_mutex);
}

/* Reached only from the late_time_init hook, through a non-static __init helper. */
static void __init eb_check_timer(void)
{
	spin_lock(&eb_lock);
	mutex_lock(&eb_mutex); // expect: sleep-in-atomic(conditional)
	mutex_unlock(&eb_mutex);
	eb_register_timer_irq(); // expect: sleep-in-atomic(conditional)
	spin_unlock(&eb_lock);
}

void __init eb_intr_mode_init(void)
{
	eb_check_timer();
}

static void __init eb_late_time_init(void)
{
	eb_intr_mode_init();
}

void __init time_init(void)
{
	late_time_init = eb_late_time_init;
}

/* A self-test harness: each test is passed by address to a runner that only calls it. */
static void eb_test_spin_mutex(void)
{
	spin_lock(&eb_lock);
	mutex_lock(&eb_mutex); // expect: sleep-in-atomic(conditional)
	mutex_unlock(&eb_mutex);
	spin_unlock(&eb_lock);
}

static void eb_dotest(void (*testcase_fn)(void), int expected)
{
	if (!testcase_fn)
		return;
	testcase_fn();
	if (expected)
		pr_info("expected failure\n");
}

void locking_selftest(void)
{
	eb_dotest(eb_test_spin_mutex, 1);
	eb_dotest(&eb_test_spin_mutex, 0);
}

/* A test kept for later: its address is stored, so it may run at any time. */
static void eb_saved_fn(void)
{
	spin_lock(&eb_lock);
	mutex_lock(&eb_mutex); // expect: sleep-in-atomic
	mutex_unlock(&eb_mutex);
	spin_unlock(&eb_lock);
}

/* A non-static helper that is not __init: callers outside this file may call it later. */
void eb_shared_reset(void)
{
	unsigned long flags;

	local_irq_save(flags);
	mutex_lock(&eb_mutex); // expect: sleep-in-atomic
	mutex_unlock(&eb_mutex);
	local_irq_restore(flags);
}

/* Also called from module_init: the helper may run with the scheduler up. */
static void eb_claim_irqs(void)
{
	spin_lock(&eb_lock);
	eb_table = kmalloc(128, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&eb_lock);
}

/* An ops table is not a boot hook the kernel names: its functions may run at any time. */
static void eb_board_irq_setup(void)
{
	spin_lock(&eb_lock);
	mutex_lock(&eb_mutex); // expect: sleep-in-atomic
	mutex_unlock(&eb_mutex);
	spin_unlock(&eb_lock);
}

static const struct eb_board_ops eb_board = {
	.irq_setup = eb_board_irq_setup,
};

void __init trap_init(void)
{
	eb_saved_test = eb_saved_fn;
	eb_shared_reset();
	eb_claim_irqs();
	eb_board_irq_setup();
}

/* Initcalls run from kernel_init, after the scheduler starts: not early boot. */
static int __init eb_module_init(void)
{
	unsigned long flags;

	local_irq_save(flags);
	eb_table = kzalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	local_irq_restore(flags);
	eb_claim_irqs();
	return 0;
}
module_init(eb_module_init);
MODULE_LICENSE("GPL");
