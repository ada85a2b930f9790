// SPDX-License-Identifier: GPL-2.0
/*
 * The state at the sleeping call decides: a wait whose "before" command drops the caller's
 * lock, a helper that drops its caller's lock before it allocates (under a condition, too), an
 * IRQ state saved by one helper and restored by another's _irqrestore, schedule() with only
 * interrupts off (the exit-to-user pattern), and a helper that unlocks its caller's lock under
 * another name.
 */
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/delay.h>
#include <linux/rcupdate.h>

struct la_slot {
	raw_spinlock_t lock;
	int count;
};

struct la_dev {
	spinlock_t hash_lock;
	spinlock_t list_lock;
	wait_queue_head_t wq;
	struct list_head free;
	int need_resched;
	void *buf;
};

static DEFINE_SPINLOCK(la_table_lock);

bool la_debug_enabled(void);
struct la_slot *la_cpu_slot(void);

static void la_lock_hash(struct la_dev *dev)
{
	spin_lock_irq(&dev->hash_lock);
}

static void la_unlock_hash(struct la_dev *dev)
{
	spin_unlock_irq(&dev->hash_lock);
}

/* cmd1 drops the hash lock before the wait sleeps, cmd2 takes it again. */
static void la_wait_free_ok(struct la_dev *dev)
{
	la_lock_hash(dev);
	wait_event_cmd(dev->wq, !list_empty(&dev->free), la_unlock_hash(dev), la_lock_hash(dev));
	la_unlock_hash(dev);
}

/* The list lock stays held across the wait: only the hash lock is dropped. */
static void la_wait_free_bad(struct la_dev *dev)
{
	spin_lock(&dev->list_lock);
	la_lock_hash(dev);
	wait_event_cmd(dev->wq, !list_empty(&dev->free), la_unlock_hash(dev), la_lock_hash(dev)); // expect: sleep-in-atomic
	la_unlock_hash(dev);
	spin_unlock(&dev->list_lock);
}

/* Drops the table lock its caller holds around the allocation, only when not debugging. */
static int la_split(struct la_dev *dev)
{
	void *p;

	if (!la_debug_enabled())
		spin_unlock(&la_table_lock);
	p = kmalloc(256, GFP_KERNEL);
	if (!la_debug_enabled())
		spin_lock(&la_table_lock);
	if (!p)
		return -ENOMEM;
	dev->buf = p;
	return 0;
}

/* Drops the table lock whatever happens. */
static int la_refill(struct la_dev *dev)
{
	void *p;

	spin_unlock(&la_table_lock);
	p = kmalloc(256, GFP_KERNEL);
	spin_lock(&la_table_lock);
	if (!p)
		return -ENOMEM;
	dev->buf = p;
	return 0;
}

static int la_change(struct la_dev *dev)
{
	return la_split(dev);
}

/* The allocation runs with the lock held only when debugging: a run-time condition. */
static int la_change_cond(struct la_dev *dev)
{
	int ret;

	spin_lock(&la_table_lock);
	ret = la_change(dev); // expect: sleeping-alloc-in-atomic(conditional)
	spin_unlock(&la_table_lock);
	return ret;
}

static int la_refill_ok(struct la_dev *dev)
{
	int ret;

	spin_lock(&la_table_lock);
	ret = la_refill(dev);
	spin_unlock(&la_table_lock);
	return ret;
}

/* The helper drops the table lock, not the list lock held around it. */
static int la_refill_bad(struct la_dev *dev)
{
	int ret;

	spin_lock(&dev->list_lock);
	spin_lock(&la_table_lock);
	ret = la_refill(dev); // expect: sleeping-alloc-in-atomic
	spin_unlock(&la_table_lock);
	spin_unlock(&dev->list_lock);
	return ret;
}

static struct la_slot *la_slot_lock(unsigned long *flags)
{
	struct la_slot *s;

	local_irq_save(*flags);
	s = la_cpu_slot();
	raw_spin_lock(&s->lock);
	return s;
}

static void la_slot_unlock(struct la_slot *s, unsigned long flags)
{
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

/* The unlock helper's _irqrestore restores the state the lock helper saved. */
static void la_slot_count_ok(void)
{
	unsigned long flags;
	struct la_slot *s = la_slot_lock(&flags);

	s->count++;
	la_slot_unlock(s, flags);
	synchronize_rcu();
}

static void la_slot_count_bad(void)
{
	unsigned long flags;
	struct la_slot *s = la_slot_lock(&flags);

	s->count++;
	synchronize_rcu(); // expect: sleep-in-atomic
	la_slot_unlock(s, flags);
}

/* Exit to user space: schedule() itself handles interrupts being off. */
static void la_work_pending_ok(struct la_dev *dev)
{
	local_irq_disable();
	while (dev->need_resched) {
		local_irq_enable();
		dev->need_resched = 0;
		local_irq_disable();
		schedule();
	}
	local_irq_enable();
}

/* msleep() checks irqs_disabled() through might_sleep(). */
static void la_settle_irqs_off_bad(void)
{
	local_irq_disable();
	msleep(1); // expect: sleep-in-atomic
	local_irq_enable();
}

static void la_schedule_locked_bad(struct la_dev *dev)
{
	spin_lock_irq(&dev->list_lock);
	schedule(); // expect: sleep-in-atomic
	spin_unlock_irq(&dev->list_lock);
}

static void la_schedule_preempt_off_bad(void)
{
	preempt_disable();
	schedule(); // expect: sleep-in-atomic
	preempt_enable();
}

struct la_inode {
	spinlock_t i_lock;
};

struct la_entry {
	spinlock_t e_lock;
	struct la_inode *inode;
};

/* Entered with both locks held; names the inode lock through the entry. */
static void la_entry_kill(struct la_entry *e)
{
	spin_unlock(&e->e_lock);
	spin_unlock(&e->inode->i_lock);
}

/* The helper's unlock of e->inode->i_lock is the caller's inode->i_lock, the only one left. */
static void la_prune_ok(struct la_inode *inode, struct la_entry *e)
{
	spin_lock(&inode->i_lock);
	spin_lock(&e->e_lock);
	la_entry_kill(e);
	msleep(1);
}

static void la_prune_bad(struct la_inode *inode, struct la_entry *e)
{
	spin_lock(&inode->i_lock);
	spin_lock(&e->e_lock);
	spin_unlock(&e->e_lock);
	msleep(1); // expect: sleep-in-atomic
	spin_unlock(&inode->i_lock);
}
