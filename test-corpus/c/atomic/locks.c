// SPDX-License-Identifier: GPL-2.0
/*
 * Every way of entering atomic context (docs/kernel-facts.md §4.3): a GFP_KERNEL allocation in the
 * section may sleep (sleeping-alloc-in-atomic), the same allocation after the matching release
 * does not.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/seqlock.h>
#include <linux/local_lock.h>
#include <linux/bit_spinlock.h>
#include <linux/rcupdate.h>

struct lk_dev {
	spinlock_t lock;
	raw_spinlock_t raw_lock;
	rwlock_t rwlock;
	seqlock_t seq;
	unsigned long flags_word;
	void *buf;
	size_t len;
};

struct lk_pcpu {
	local_lock_t llock;
	void *cache;
};

static void lk_spin_lock_bad(struct lk_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

static void lk_spin_lock_ok(struct lk_dev *dev)
{
	void *buf = kmalloc(dev->len, GFP_KERNEL);

	spin_lock(&dev->lock);
	dev->buf = buf;
	spin_unlock(&dev->lock);
}

static void lk_spin_lock_atomic_flags_ok(struct lk_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kmalloc(dev->len, GFP_ATOMIC);
	spin_unlock(&dev->lock);
}

static void lk_spin_lock_nowait_ok(struct lk_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, GFP_NOWAIT | __GFP_NOWARN);
	spin_unlock(&dev->lock);
}

static void lk_irqsave_bad(struct lk_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	dev->buf = kzalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void lk_irqsave_ok(struct lk_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	dev->len = 0;
	spin_unlock_irqrestore(&dev->lock, flags);
	dev->buf = kzalloc(64, GFP_KERNEL);
}

static void lk_spin_lock_irq_bad(struct lk_dev *dev)
{
	spin_lock_irq(&dev->lock);
	dev->buf = kcalloc(8, dev->len, GFP_NOFS); // expect: sleeping-alloc-in-atomic
	spin_unlock_irq(&dev->lock);
}

static void lk_spin_lock_bh_bad(struct lk_dev *dev)
{
	spin_lock_bh(&dev->lock);
	dev->buf = kmalloc(dev->len, GFP_NOIO); // expect: sleeping-alloc-in-atomic
	spin_unlock_bh(&dev->lock);
}

static void lk_raw_spin_lock_bad(struct lk_dev *dev)
{
	raw_spin_lock(&dev->raw_lock);
	dev->buf = kmalloc(dev->len, GFP_KERNEL_ACCOUNT); // expect: sleeping-alloc-in-atomic
	raw_spin_unlock(&dev->raw_lock);
}

static void lk_read_lock_bad(struct lk_dev *dev)
{
	read_lock(&dev->rwlock);
	dev->buf = kmemdup(dev->buf, dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	read_unlock(&dev->rwlock);
}

static void lk_write_lock_bad(struct lk_dev *dev)
{
	write_lock_bh(&dev->rwlock);
	dev->buf = kmalloc(dev->len, GFP_USER); // expect: sleeping-alloc-in-atomic
	write_unlock_bh(&dev->rwlock);
}

static void lk_write_lock_ok(struct lk_dev *dev)
{
	write_lock(&dev->rwlock);
	dev->len = 0;
	write_unlock(&dev->rwlock);
	dev->buf = kmalloc(64, GFP_USER);
}

static void lk_local_irq_disable_bad(struct lk_dev *dev)
{
	local_irq_disable();
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	local_irq_enable();
}

static void lk_local_irq_save_bad(struct lk_dev *dev)
{
	unsigned long flags;

	local_irq_save(flags);
	dev->buf = (void *)__get_free_page(GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	local_irq_restore(flags);
}

static void lk_local_irq_save_ok(struct lk_dev *dev)
{
	unsigned long flags;

	local_irq_save(flags);
	dev->len++;
	local_irq_restore(flags);
	dev->buf = (void *)__get_free_page(GFP_KERNEL);
}

static void lk_local_bh_disable_bad(struct lk_dev *dev)
{
	local_bh_disable();
	dev->buf = alloc_pages(GFP_KERNEL, 0); // expect: sleeping-alloc-in-atomic
	local_bh_enable();
}

static void lk_preempt_disable_bad(struct lk_dev *dev)
{
	preempt_disable();
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	preempt_enable();
}

static void lk_preempt_disable_ok(struct lk_dev *dev)
{
	preempt_disable();
	dev->len = 0;
	preempt_enable();
	dev->buf = kmalloc(64, GFP_KERNEL);
}

static void lk_get_cpu_bad(struct lk_dev *dev)
{
	int cpu = get_cpu();

	dev->buf = kzalloc_node(dev->len, GFP_KERNEL, cpu_to_node(cpu)); // expect: sleeping-alloc-in-atomic
	put_cpu();
}

static void lk_get_cpu_ok(struct lk_dev *dev)
{
	int cpu = get_cpu();

	dev->len = cpu;
	put_cpu();
	dev->buf = kzalloc_node(64, GFP_KERNEL, cpu_to_node(cpu));
}

static void lk_rcu_read_lock_bad(struct lk_dev *dev)
{
	rcu_read_lock();
	dev->buf = kstrdup("name", GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	rcu_read_unlock();
}

static void lk_rcu_read_lock_ok(struct lk_dev *dev)
{
	rcu_read_lock();
	dev->buf = kstrdup("name", GFP_ATOMIC);
	rcu_read_unlock();
}

static void lk_bit_spin_lock_bad(struct lk_dev *dev)
{
	bit_spin_lock(0, &dev->flags_word);
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	bit_spin_unlock(0, &dev->flags_word);
}

static void lk_write_seqlock_bad(struct lk_dev *dev)
{
	write_seqlock(&dev->seq);
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	write_sequnlock(&dev->seq);
}

static void lk_write_seqlock_ok(struct lk_dev *dev)
{
	void *buf = kmalloc(dev->len, GFP_KERNEL);

	write_seqlock(&dev->seq);
	dev->buf = buf;
	write_sequnlock(&dev->seq);
}

static void lk_local_lock_bad(struct lk_pcpu *pcpu, size_t len)
{
	local_lock(&pcpu->llock);
	pcpu->cache = kmalloc(len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	local_unlock(&pcpu->llock);
}

static void lk_nested_bad(struct lk_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	raw_spin_lock(&dev->raw_lock);
	raw_spin_unlock(&dev->raw_lock);
	/* The outer lock is still held. */
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void lk_mutex_ok(struct lk_dev *dev, struct mutex *m)
{
	mutex_lock(m);
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
	mutex_unlock(m);
}

static void lk_migrate_disable_ok(struct lk_dev *dev)
{
	migrate_disable();
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
	migrate_enable();
}

/*
 * The scheduler's own form of preempt_enable_no_resched() ends the preemption-off region too:
 * the yield after it runs preemptible.
 */
static void lk_yield(spinlock_t *rq_lock)
{
	preempt_disable();
	spin_lock_irq(rq_lock);
	spin_unlock_irq(rq_lock);
	sched_preempt_enable_no_resched();
	schedule();
}

static void lk_yield_bad(spinlock_t *rq_lock)
{
	preempt_disable();
	spin_lock_irq(rq_lock);
	spin_unlock_irq(rq_lock);
	schedule(); // expect: sleep-in-atomic
	preempt_enable();
}
