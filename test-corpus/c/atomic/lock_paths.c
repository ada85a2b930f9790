// SPDX-License-Identifier: GPL-2.0
/*
 * Path-sensitive atomic state: early-return unlocks, trylock, lock wrappers, flags chosen by the
 * same condition as the lock, gfp parameters, recursion, scope guards and __must_hold.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/cleanup.h>

struct lp_dev {
	spinlock_t lock;
	struct mutex mtx;
	wait_queue_head_t waitq;
	struct list_head items;
	void *buf;
	size_t len;
	int ready;
	int count;
};

struct lp_node {
	struct lp_node *next;
	void *data;
};

/* An early return releases the lock; the allocation after it runs preemptible. */
static int lp_early_return_ok(struct lp_dev *dev)
{
	spin_lock(&dev->lock);
	if (!dev->ready) {
		spin_unlock(&dev->lock);
		dev->buf = kmalloc(dev->len, GFP_KERNEL);
		return -1;
	}
	dev->count++;
	spin_unlock(&dev->lock);
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
	return 0;
}

/* The lock is still held on the path that does not return early. */
static int lp_early_return_bad(struct lp_dev *dev)
{
	spin_lock(&dev->lock);
	if (!dev->ready) {
		spin_unlock(&dev->lock);
		return -1;
	}
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
	return 0;
}

/* spin_trylock holds the lock only when it returns non-zero (docs/kernel-facts.md §4.3). */
static void lp_trylock_bad(struct lp_dev *dev)
{
	if (spin_trylock(&dev->lock)) {
		dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
		spin_unlock(&dev->lock);
	}
}

static void lp_trylock_failed_ok(struct lp_dev *dev)
{
	if (!spin_trylock(&dev->lock)) {
		dev->buf = kmalloc(dev->len, GFP_KERNEL);
		return;
	}
	dev->count++;
	spin_unlock(&dev->lock);
}

/* Lock wrappers: the caller is atomic between them. */
static void lp_lock(struct lp_dev *dev, unsigned long *flags)
{
	spin_lock_irqsave(&dev->lock, *flags);
}

static void lp_unlock(struct lp_dev *dev, unsigned long *flags)
{
	spin_unlock_irqrestore(&dev->lock, *flags);
}

static void lp_wrapper_bad(struct lp_dev *dev)
{
	unsigned long flags;

	lp_lock(dev, &flags);
	dev->buf = kzalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	lp_unlock(dev, &flags);
}

static void lp_wrapper_ok(struct lp_dev *dev)
{
	unsigned long flags;

	lp_lock(dev, &flags);
	dev->count++;
	lp_unlock(dev, &flags);
	dev->buf = kzalloc(dev->len, GFP_KERNEL);
}

/* The flags follow the same condition as the lock: GFP_KERNEL only where no lock is held. */
static void lp_correlated_flags_ok(struct lp_dev *dev, bool atomic)
{
	unsigned long flags = 0;

	if (atomic)
		spin_lock_irqsave(&dev->lock, flags);
	dev->buf = kmalloc(dev->len, atomic ? GFP_ATOMIC : GFP_KERNEL);
	if (atomic)
		spin_unlock_irqrestore(&dev->lock, flags);
}

static void lp_correlated_local_ok(struct lp_dev *dev, bool locked)
{
	gfp_t gfp = locked ? GFP_ATOMIC : GFP_KERNEL;

	if (locked)
		spin_lock(&dev->lock);
	dev->buf = kzalloc(dev->len, gfp);
	if (locked)
		spin_unlock(&dev->lock);
}

/* Inverted: GFP_KERNEL on exactly the locked paths. */
static void lp_correlated_flags_bad(struct lp_dev *dev, bool atomic)
{
	if (atomic)
		spin_lock(&dev->lock);
	dev->buf = kmalloc(dev->len, atomic ? GFP_KERNEL : GFP_ATOMIC); // expect: sleeping-alloc-in-atomic
	if (atomic)
		spin_unlock(&dev->lock);
}

/* A gfp parameter: the caller's flags decide. */
static void *lp_get_buf(struct lp_dev *dev, gfp_t gfp)
{
	return kzalloc(dev->len, gfp);
}

static void lp_gfp_param_bad(struct lp_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = lp_get_buf(dev, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

static void lp_gfp_param_atomic_ok(struct lp_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = lp_get_buf(dev, GFP_ATOMIC);
	spin_unlock(&dev->lock);
}

static void lp_gfp_param_process_ok(struct lp_dev *dev)
{
	dev->buf = lp_get_buf(dev, GFP_KERNEL);
}

/* Unknown flags never count as blocking. */
static void lp_gfp_unknown_ok(struct lp_dev *dev, gfp_t gfp)
{
	spin_lock(&dev->lock);
	dev->buf = lp_get_buf(dev, gfp);
	spin_unlock(&dev->lock);
}

/* Clearing __GFP_DIRECT_RECLAIM makes GFP_KERNEL non-blocking (docs/kernel-facts.md §2.3). */
static void lp_no_direct_reclaim_ok(struct lp_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = kmalloc(dev->len, GFP_KERNEL & ~__GFP_DIRECT_RECLAIM);
	spin_unlock(&dev->lock);
}

/* Recursion: the summary of a recursive walk still reaches its allocation. */
static int lp_walk(struct lp_node *node, int depth)
{
	if (!node || depth > 8)
		return 0;
	node->data = kmalloc(32, GFP_KERNEL);
	return lp_walk(node->next, depth + 1) + 1;
}

static int lp_recursion_bad(struct lp_dev *dev, struct lp_node *head)
{
	int n;

	spin_lock(&dev->lock);
	n = lp_walk(head, 0); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
	return n;
}

static int lp_ping(struct lp_node *node, int n);

static int lp_pong(struct lp_node *node, int n)
{
	if (!node)
		return n;
	return lp_ping(node->next, n + 1);
}

static int lp_ping(struct lp_node *node, int n)
{
	if (n > 4)
		msleep(1);
	return lp_pong(node, n);
}

static int lp_mutual_recursion_bad(struct lp_dev *dev, struct lp_node *head)
{
	int n;

	spin_lock_bh(&dev->lock);
	n = lp_pong(head, 0); // expect: sleep-in-atomic(conditional)
	spin_unlock_bh(&dev->lock);
	return n;
}

static int lp_mutual_recursion_ok(struct lp_node *head)
{
	return lp_pong(head, 0);
}

/* Scope-based guards (include/linux/cleanup.h): the lock is held to the end of the scope. */
static void lp_guard_bad(struct lp_dev *dev)
{
	guard(spinlock)(&dev->lock);
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

static void lp_guard_ok(struct lp_dev *dev)
{
	void *buf = kmalloc(dev->len, GFP_KERNEL);

	guard(spinlock_irqsave)(&dev->lock);
	dev->buf = buf;
}

static void lp_scoped_guard_bad(struct lp_dev *dev)
{
	scoped_guard(spinlock_irqsave, &dev->lock) {
		dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	}
}

static void lp_scoped_guard_ok(struct lp_dev *dev)
{
	scoped_guard(spinlock, &dev->lock) {
		dev->count++;
	}
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
}

/* sparse's __must_hold: the caller holds the lock when this runs. */
static void lp_refill_locked_bad(struct lp_dev *dev)
	__must_hold(&dev->lock)
{
	dev->buf = kmalloc(dev->len, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

/*
 * Its caller is atomic too, but the finding stays in the annotated function: one report per
 * sleeping call.
 */
static void lp_refill(struct lp_dev *dev)
{
	spin_lock(&dev->lock);
	lp_refill_locked_bad(dev);
	spin_unlock(&dev->lock);
}

/* sparse's annotations are used for mutexes too: a held mutex is no atomic context. */
static void lp_mutex_held_ok(struct lp_dev *dev)
	__must_hold(&dev->mtx)
{
	dev->buf = kmalloc(dev->len, GFP_KERNEL);
}

/* Dropping the caller's lock around the allocation is the usual fix. */
static void lp_refill_dropping_ok(struct lp_dev *dev)
	__must_hold(&dev->lock)
{
	void *buf;

	spin_unlock(&dev->lock);
	buf = kmalloc(dev->len, GFP_KERNEL);
	spin_lock(&dev->lock);
	dev->buf = buf;
}

/* A helper that releases the caller's lock before it sleeps (a drop-and-wait loop). */
static long lp_wait_unlocked(wait_queue_head_t *q, spinlock_t *lock, unsigned long flags)
	__releases(lock)
{
	spin_unlock_irqrestore(lock, flags);
	return schedule_timeout(10);
}

static void lp_drop_and_wait_ok(struct lp_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	while (!dev->ready) {
		lp_wait_unlocked(&dev->waitq, &dev->lock, flags);
		spin_lock_irqsave(&dev->lock, flags);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* The same helper shape, but it sleeps before it releases the lock. */
static void lp_sleep_then_unlock(spinlock_t *lock)
	__releases(lock)
{
	msleep(1);
	spin_unlock(lock);
}

static void lp_sleep_then_unlock_bad(struct lp_dev *dev)
{
	spin_lock(&dev->lock);
	lp_sleep_then_unlock(&dev->lock); // expect: sleep-in-atomic
}

/* Drop-and-retake: the helper sleeps with the caller's lock released, and takes it back. */
static void lp_settle(struct lp_dev *d)
	__releases(d->lock) __acquires(d->lock)
{
	spin_unlock_irq(&d->lock);
	msleep(20);
	spin_lock_irq(&d->lock);
}

static void lp_resume_ok(struct lp_dev *dev)
{
	spin_lock_irq(&dev->lock);
	lp_settle(dev);
	dev->ready = 1;
	spin_unlock_irq(&dev->lock);
}

static void lp_settle_late(struct lp_dev *d)
{
	msleep(20);
	spin_unlock_irq(&d->lock);
	spin_lock_irq(&d->lock);
}

static void lp_resume_bad(struct lp_dev *dev)
{
	spin_lock_irq(&dev->lock);
	lp_settle_late(dev); // expect: sleep-in-atomic
	spin_unlock_irq(&dev->lock);
}

/* The same drop-and-retake one call further down. */
static void lp_resume_port(struct lp_dev *port_dev)
{
	port_dev->count++;
	lp_settle(port_dev);
}

static void lp_resume_deep_ok(struct lp_dev *dev)
{
	spin_lock_irq(&dev->lock);
	lp_resume_port(dev);
	spin_unlock_irq(&dev->lock);
}

/*
 * __must_hold of a member of a struct this file does not declare (a kernel header's, where the
 * lock may be a mutex): no spinlock is assumed because a struct of this file has a spinlock
 * member of the same name.
 */
struct lp_conn {
	struct lp_core *core;
	void *buf;
};

static void lp_foreign_nested_ok(struct lp_conn *conn)
	__must_hold(&conn->core->lock)
{
	conn->buf = kmalloc(64, GFP_KERNEL);
}

static void lp_foreign_param_ok(struct lp_core *core, struct lp_conn *conn)
	__must_hold(&core->lock)
{
	conn->buf = kmalloc(64, GFP_KERNEL);
}

/* The file's own lock calls say what such a member is: here a spinlock. */
static void lp_ext_count(struct lp_ext *ext, struct lp_conn *conn)
{
	unsigned long flags;

	spin_lock_irqsave(&ext->ext_lock, flags);
	conn->buf = NULL;
	spin_unlock_irqrestore(&ext->ext_lock, flags);
}

static void lp_ext_refill_bad(struct lp_ext *ext, struct lp_conn *conn)
	__must_hold(&ext->ext_lock)
{
	conn->buf = kmalloc(64, GFP_KERNEL); // expect: sleeping-alloc-in-atomic
}

/* ... and here a mutex. */
static void lp_ext_wait(struct lp_ext *ext)
{
	mutex_lock(&ext->ext_mutex);
	mutex_unlock(&ext->ext_mutex);
}

static void lp_ext_mutex_held_ok(struct lp_ext *ext, struct lp_conn *conn)
	__must_hold(&ext->ext_mutex)
{
	conn->buf = kmalloc(64, GFP_KERNEL);
}

/*
 * A string comparison tested twice on the same path gives the same answer (it only reads memory):
 * the phase that did not disable bottom halves does not enable them either.
 */
struct lp_phase {
	const char *name;
	void (*begin)(void);
	void (*end)(void);
};

void lp_reset_engine(void);

static void lp_phases_ok(const struct lp_phase *phases, struct lp_dev *dev)
{
	const struct lp_phase *p;

	for (p = phases; p->name; p++) {
		if (strcmp(p->name, "softirq"))
			local_bh_disable();
		p->begin();
		lp_reset_engine();
		p->end();
		if (strcmp(p->name, "softirq"))
			local_bh_enable();
	}
	mutex_lock(&dev->mtx);
	mutex_unlock(&dev->mtx);
}

/* Two different comparisons: the second may leave bottom halves disabled. */
static void lp_phases_bad(const struct lp_phase *phases, struct lp_dev *dev)
{
	const struct lp_phase *p;

	for (p = phases; p->name; p++) {
		if (strcmp(p->name, "softirq"))
			local_bh_disable();
		lp_reset_engine();
		if (strcmp(p->name, "hardirq"))
			local_bh_enable();
	}
	mutex_lock(&dev->mtx); // expect: sleep-in-atomic
	mutex_unlock(&dev->mtx);
}
