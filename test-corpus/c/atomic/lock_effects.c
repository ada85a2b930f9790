// SPDX-License-Identifier: GPL-2.0
/*
 * What a helper's locking means for its caller (lock effects): a helper that drops its
 * caller's lock and takes it again has no net effect; a lock wrapper that returns without the
 * lock on some path, or names the lock through its own local pointer, is not a lock wrapper for
 * the caller; a helper that only takes a lock is.
 */
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/slab.h>

struct le_sub {
	spinlock_t base_lock;
	struct timer_list frag_timer[8];
};

struct le_dev {
	struct le_sub *sub;
	struct mutex conf_mutex;
	void *table;
};

/* Entered with base_lock held; drops it around del_timer_sync() and takes it again. */
static void le_tid_cleanup(struct le_dev *dev)
{
	int i;

	for (i = 0; i < 8; i++) {
		spin_unlock_bh(&dev->sub->base_lock);
		del_timer_sync(&dev->sub->frag_timer[i]);
		spin_lock_bh(&dev->sub->base_lock);
	}
}

/* The caller names the lock through a local alias; its own unlock ends the section. */
static void le_cleanup_all(struct le_dev *dev)
{
	struct le_sub *sub = dev->sub;

	spin_lock_bh(&sub->base_lock);
	le_tid_cleanup(dev);
	spin_unlock_bh(&sub->base_lock);
}

static void le_halt_then_lock_ok(struct le_dev *dev)
{
	le_cleanup_all(dev);
	mutex_lock(&dev->conf_mutex);
	mutex_unlock(&dev->conf_mutex);
}

/* Still atomic inside the caller's section: the helper's retake does not end it. */
static void le_sleep_after_retake_bad(struct le_dev *dev)
{
	spin_lock_bh(&dev->sub->base_lock);
	le_tid_cleanup(dev);
	mutex_lock(&dev->conf_mutex); // expect: sleep-in-atomic
	mutex_unlock(&dev->conf_mutex);
	spin_unlock_bh(&dev->sub->base_lock);
}

/* Returns NULL without the lock when there is no table. */
static void *le_map_lock(struct le_dev *dev)
{
	spinlock_t *lock = &dev->sub->base_lock;

	spin_lock(lock);
	if (!dev->table) {
		spin_unlock(lock);
		return NULL;
	}
	return dev->table;
}

static void le_unmap_unlock(struct le_dev *dev)
{
	spin_unlock(&dev->sub->base_lock);
}

static void le_map_then_sleep_ok(struct le_dev *dev)
{
	if (le_map_lock(dev))
		le_unmap_unlock(dev);
	mutex_lock(&dev->conf_mutex);
	mutex_unlock(&dev->conf_mutex);
}

/* A real lock wrapper: every path returns holding the lock. */
static void le_lock(struct le_dev *dev)
{
	spin_lock(&dev->sub->base_lock);
}

static void le_unlock(struct le_dev *dev)
{
	spin_unlock(&dev->sub->base_lock);
}

static void le_wrapper_bad(struct le_dev *dev)
{
	le_lock(dev);
	mutex_lock(&dev->conf_mutex); // expect: sleep-in-atomic
	mutex_unlock(&dev->conf_mutex);
	le_unlock(dev);
}

/*
 * A helper given the address of the member that holds the lock drops it around the
 * allocation (md-bitmap checkpage): the caller's lock is the helper's parameter's lock.
 */
struct le_counts {
	spinlock_t lock;
	void **pages;
};

struct le_bitmap {
	struct le_counts counts;
};

static int le_checkpage(struct le_counts *counts, int page)
{
	void *mapping;

	spin_unlock_irq(&counts->lock);
	mapping = kzalloc(PAGE_SIZE, GFP_NOIO);
	spin_lock_irq(&counts->lock);
	if (!mapping)
		return -ENOMEM;
	counts->pages[page] = mapping;
	return 0;
}

static void le_counter_ok(struct le_bitmap *bitmap)
{
	spin_lock_irq(&bitmap->counts.lock);
	le_checkpage(&bitmap->counts, 0);
	spin_unlock_irq(&bitmap->counts.lock);
}

/*
 * The caller locks through a local copy of the pointer the helper uses (drbd
 * conn_try_outdate_peer / _conn_request_state): the helper drops that very lock to sleep.
 */
struct le_resource {
	spinlock_t req_lock;
};

struct le_connection {
	struct le_resource *resource;
	struct mutex cstate_mutex;
};

static void le_request_state(struct le_connection *connection)
{
	spin_unlock_irq(&connection->resource->req_lock);
	mutex_lock(&connection->cstate_mutex);
	mutex_unlock(&connection->cstate_mutex);
	spin_lock_irq(&connection->resource->req_lock);
}

static void le_outdate_peer_ok(struct le_connection *connection)
{
	struct le_resource *const resource = connection->resource;

	spin_lock_irq(&resource->req_lock);
	le_request_state(connection);
	spin_unlock_irq(&resource->req_lock);
}

/*
 * The lock is released under another name (binder's transaction-stack walk): with one
 * spinlock held, an unlock of an unknown name releases that one.
 */
struct le_txn {
	spinlock_t lock;
	struct le_txn *parent;
};

static void le_walk_ok(struct le_txn *t, struct le_dev *dev)
{
	struct le_txn *last_t;

	if (t)
		spin_lock(&t->lock);
	while (t) {
		last_t = t;
		t = t->parent;
		spin_unlock(&last_t->lock);
		if (t)
			spin_lock(&t->lock);
	}
	mutex_lock(&dev->conf_mutex);
	mutex_unlock(&dev->conf_mutex);
}

static void le_walk_nested_bad(struct le_txn *t, struct le_txn *u, struct le_dev *dev)
{
	struct le_txn *last_t;

	spin_lock(&u->lock);
	spin_lock(&t->lock);
	last_t = t;
	t = NULL;
	spin_unlock(&last_t->lock);
	mutex_lock(&dev->conf_mutex); // expect: sleep-in-atomic
	mutex_unlock(&dev->conf_mutex);
	spin_unlock(&u->lock);
}

/*
 * Interrupts are on or off, not counted: a helper that halts with interrupts enabled and
 * disables them again does not keep them off past the caller's local_irq_restore().
 */
static void le_powersaver(void)
{
	safe_halt();
	local_irq_disable();
}

static void le_set_speed_ok(struct le_dev *dev)
{
	unsigned long flags;

	local_irq_save(flags);
	le_powersaver();
	local_irq_restore(flags);
	mutex_lock(&dev->conf_mutex);
	mutex_unlock(&dev->conf_mutex);
}

static void le_set_speed_bad(struct le_dev *dev)
{
	unsigned long flags;

	local_irq_save(flags);
	le_powersaver();
	mutex_lock(&dev->conf_mutex); // expect: sleep-in-atomic
	mutex_unlock(&dev->conf_mutex);
	local_irq_restore(flags);
}

/*
 * __must_hold names the lock through a local (bnx2fc_abts_cleanup); the function drops it
 * before waiting.
 */
struct le_rport {
	spinlock_t tgt_lock;
};

struct le_io {
	struct le_rport *tgt;
	struct completion cleanup_done;
};

static int le_abts_cleanup_ok(struct le_io *io_req)
	__must_hold(&tgt->tgt_lock)
{
	struct le_rport *tgt = io_req->tgt;
	unsigned long left;

	spin_unlock_bh(&tgt->tgt_lock);
	left = wait_for_completion_timeout(&io_req->cleanup_done, HZ);
	spin_lock_bh(&tgt->tgt_lock);
	return left ? 0 : -1;
}

static int le_abts_wait_bad(struct le_io *io_req)
	__must_hold(&tgt->tgt_lock)
{
	struct le_rport *tgt = io_req->tgt;

	if (!tgt)
		return -1;
	wait_for_completion(&io_req->cleanup_done); // expect: sleep-in-atomic
	return 0;
}

/* spin_unlock_irq() of another lock turns interrupts back on (evdev_handle_get_val). */
static void le_crossed_unlock_ok(struct le_txn *a, struct le_txn *b, struct le_dev *dev)
{
	spin_lock_irq(&a->lock);
	spin_lock(&b->lock);
	spin_unlock(&a->lock);
	spin_unlock_irq(&b->lock);
	mutex_lock(&dev->conf_mutex);
	mutex_unlock(&dev->conf_mutex);
}

/* __must_hold names a variable not in scope; the body drops the lock under its own name. */
struct le_usb {
	spinlock_t tc_lock;
	struct mutex io_mutex;
};

static int le_timestamp_read_ok(struct le_usb *parent)
	__must_hold(&dev->tc_lock)
{
	spin_unlock_bh(&parent->tc_lock);
	mutex_lock(&parent->io_mutex);
	mutex_unlock(&parent->io_mutex);
	spin_lock_bh(&parent->tc_lock);
	return 0;
}
