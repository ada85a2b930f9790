// SPDX-License-Identifier: GPL-2.0
/*
 * A lock released through another variable that a plain assignment made point at the same
 * object (hand-over-hand walks up a tree), and unlocks under opposite branches of one test that
 * the scan cannot decide (a configuration option without headers, a field read twice).
 */
#include <linux/delay.h>
#include <linux/kconfig.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct la_node {
	spinlock_t lock;
	struct la_node *parent;
	int busy;
};

struct la_tree {
	spinlock_t walk_lock;
	struct mutex io_mutex;
	struct la_node *root;
	int mode;
};

void la_put_node(struct la_node *n);

/* The lock taken through parent is released through p after p = parent. */
static void la_walk_up_ok(struct la_tree *t, struct la_node *start)
{
	struct la_node *p = start;

	spin_lock(&t->walk_lock);
	spin_lock(&p->lock);
	while (p->busy && p != t->root) {
		struct la_node *parent;

		parent = p->parent;
		spin_unlock(&p->lock);
		spin_lock(&parent->lock);
		p = parent;
	}
	spin_unlock(&p->lock);
	spin_unlock(&t->walk_lock);
	mutex_lock(&t->io_mutex);
	mutex_unlock(&t->io_mutex);
}

/* The same walk releasing only the tree lock: the node lock taken through parent is still held. */
static void la_walk_up_bad(struct la_tree *t, struct la_node *start)
{
	struct la_node *p = start;

	spin_lock(&t->walk_lock);
	spin_lock(&p->lock);
	while (p->busy && p != t->root) {
		struct la_node *parent;

		parent = p->parent;
		spin_unlock(&p->lock);
		spin_lock(&parent->lock);
		p = parent;
	}
	spin_unlock(&t->walk_lock);
	mutex_lock(&t->io_mutex); // expect: sleep-in-atomic
	mutex_unlock(&t->io_mutex);
	spin_unlock(&p->lock);
}

/* p names the tree's node only after p = t->root: the first node's lock stays held. */
static void la_reassigned_bad(struct la_tree *t, struct la_node *p)
{
	struct la_node *root = t->root;

	spin_lock(&root->lock);
	spin_lock(&p->lock);
	p = root;
	spin_unlock(&p->lock);
	msleep(10); // expect: sleep-in-atomic
}

/* Interrupts are enabled again on both sides of the option, whichever way it is configured. */
static void la_switch_ok(struct la_tree *t)
{
	local_irq_disable();
	t->mode = 1;
	if (!IS_ENABLED(CONFIG_LA_IRQS_OFF_SWITCH))
		local_irq_enable();
	la_put_node(t->root);
	if (IS_ENABLED(CONFIG_LA_IRQS_OFF_SWITCH))
		local_irq_enable();
	msleep(1);
}

/* Both tests enable only when the option is off: with it on, the sleep runs with IRQs off. */
static void la_switch_bad(struct la_tree *t)
{
	local_irq_disable();
	t->mode = 1;
	if (!IS_ENABLED(CONFIG_LA_IRQS_OFF_SWITCH))
		local_irq_enable();
	la_put_node(t->root);
	if (!IS_BUILTIN(CONFIG_LA_IRQS_OFF_SWITCH))
		local_irq_enable();
	msleep(1); // expect: sleep-in-atomic
}

/* A field read twice with opposite comparisons: the lock is dropped on every path. */
static void la_field_ok(struct la_tree *t, struct la_node *n)
{
	spin_lock(&n->lock);
	if (n->busy > 1)
		spin_unlock(&n->lock);
	la_put_node(n);
	if (n->busy <= 1)
		spin_unlock(&n->lock);
	mutex_lock(&t->io_mutex);
	mutex_unlock(&t->io_mutex);
}

/* The field is written between the tests: the second one is a new question. */
static void la_field_written_bad(struct la_tree *t, struct la_node *n, int busy)
{
	spin_lock(&n->lock);
	if (n->busy > 1)
		spin_unlock(&n->lock);
	n->busy = busy;
	if (n->busy <= 1)
		spin_unlock(&n->lock);
	mutex_lock(&t->io_mutex); // expect: sleep-in-atomic
	mutex_unlock(&t->io_mutex);
}

/* The flags test the opposite comparison of the lock's: GFP_KERNEL only where it is not held. */
static void *la_gfp_ok(struct la_node *n, int count)
{
	void *buf;

	if (count > 4)
		spin_lock(&n->lock);
	buf = kmalloc(64, count <= 4 ? GFP_KERNEL : GFP_ATOMIC);
	if (4 < count)
		spin_unlock(&n->lock);
	return buf;
}

static void *la_gfp_bad(struct la_node *n, int count)
{
	void *buf;

	if (count > 4)
		spin_lock(&n->lock);
	buf = kmalloc(64, count >= 5 ? GFP_KERNEL : GFP_ATOMIC); // expect: sleeping-alloc-in-atomic
	if (4 < count)
		spin_unlock(&n->lock);
	return buf;
}

/* Interrupts saved off through the root are restored through the leaf: per CPU, not per lock. */
static void la_irqsave_two_nodes_ok(struct la_tree *t, struct la_node *leaf)
{
	unsigned long flags;
	struct la_node *p = t->root;

	spin_lock_irqsave(&p->lock, flags);
	p->busy = 0;
	spin_unlock(&p->lock);
	p = leaf;
	spin_lock(&p->lock);
	p->busy = 1;
	spin_unlock_irqrestore(&p->lock, flags);
	msleep(1);
}

/*
 * A pointer to a lock read from the same field every time it is assigned names one lock: the
 * unlock after "lk = q->queue.lock;" again releases what the first lock call took.
 */
struct la_queue {
	spinlock_t *lock;
	struct list_head items;
};

static void la_drain(struct la_queue *q)
{
	unsigned long flags;
	spinlock_t *lk;

	lk = q->lock;
	spin_lock_irqsave(lk, flags);
	while (!list_empty(&q->items)) {
		list_del(q->items.next);
		lk = q->lock;
		spin_unlock_irqrestore(lk, flags);
		kfree(kmalloc(64, GFP_KERNEL));
		lk = q->lock;
		spin_lock_irqsave(lk, flags);
	}
	lk = q->lock;
	spin_unlock_irqrestore(lk, flags);
}

static void la_drain_bad(struct la_queue *q)
{
	unsigned long flags;
	spinlock_t *lk;

	lk = q->lock;
	spin_lock_irqsave(lk, flags);
	kfree(kmalloc(64, GFP_KERNEL)); // expect: sleeping-alloc-in-atomic
	lk = q->lock;
	spin_unlock_irqrestore(lk, flags);
}

/*
 * A helper that declares its own "lp" (from a call) names the caller's lp->lock by the same text:
 * the declaration is a new variable, not a reassignment, so its unlock still ends the caller's
 * lock before the sleep.
 */
struct la_port {
	spinlock_t lock;
	void *dev;
};

struct la_port *la_port_of(void *dev);

static int la_reset_phy(void *dev)
{
	struct la_port *lp = la_port_of(dev);

	spin_unlock_irq(&lp->lock);
	msleep(50);
	spin_lock_irq(&lp->lock);
	return 0;
}

static void la_configure(struct la_port *lp)
{
	spin_lock_irq(&lp->lock);
	la_reset_phy(lp->dev);
	spin_unlock_irq(&lp->lock);
}
