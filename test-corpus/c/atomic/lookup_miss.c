// SPDX-License-Identifier: GPL-2.0
/*
 * Get-or-create helpers. "if (conn) return conn;" right after a lookup returns what the lookup
 * found, so the code after it (the allocation of a new entry) runs only when nothing was found.
 * Whether the entry exists is run-time state the caller knows and the analyzer does not (a
 * connection is created when its peer connects, so a receive path always finds it): a chain
 * through the create path is conditional on the miss. The same allocation with no lookup before
 * it, or a lookup whose hit does not leave, stays certain.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/list.h>

struct lm_conn {
	struct list_head list;
	int peer;
	void *rx_buf;
};

struct lm_node {
	spinlock_t state_lock;
	int peer;
};

struct lm_conn *lm_find_conn(int peer);
void lm_add_conn(struct lm_conn *conn);

static int lm_conn_init(struct lm_conn *conn, int peer)
{
	conn->rx_buf = kmalloc(4096, GFP_NOFS);
	if (!conn->rx_buf)
		return -ENOMEM;
	conn->peer = peer;
	return 0;
}

/* With alloc == 0 the caller only looks up; otherwise a missing connection is created. */
static struct lm_conn *lm_peer_to_conn(int peer, gfp_t alloc)
{
	struct lm_conn *conn;

	conn = lm_find_conn(peer);
	if (conn || !alloc)
		return conn;

	conn = kzalloc(sizeof(*conn), alloc);
	if (!conn)
		return NULL;
	if (lm_conn_init(conn, peer)) {
		kfree(conn);
		return NULL;
	}
	lm_add_conn(conn);
	return conn;
}

static void lm_receive_fin(struct lm_node *node)
{
	spin_lock(&node->state_lock);
	lm_peer_to_conn(node->peer, GFP_ATOMIC); // expect: sleeping-alloc-in-atomic(conditional)
	spin_unlock(&node->state_lock);
}

/* The hit leaves through a block that drops a reference first: still a lookup hit. */
static struct lm_conn *lm_peer_to_conn_ref(int peer)
{
	struct lm_conn *conn = lm_find_conn(peer);

	if (conn != NULL) {
		conn->peer = peer;
		return conn;
	}
	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (conn)
		lm_add_conn(conn);
	return conn;
}

static void lm_receive_ack(struct lm_node *node)
{
	spin_lock(&node->state_lock);
	lm_peer_to_conn_ref(node->peer); // expect: sleeping-alloc-in-atomic(conditional)
	spin_unlock(&node->state_lock);
}

/* Always creates: no lookup decides anything. */
static struct lm_conn *lm_new_conn(int peer)
{
	struct lm_conn *conn = kzalloc(sizeof(*conn), GFP_ATOMIC);

	if (!conn)
		return NULL;
	if (lm_conn_init(conn, peer)) {
		kfree(conn);
		return NULL;
	}
	return conn;
}

static void lm_connect_bad(struct lm_node *node)
{
	spin_lock(&node->state_lock);
	lm_new_conn(node->peer); // expect: sleeping-alloc-in-atomic
	spin_unlock(&node->state_lock);
}

/* The exit returns an error, not what was found: a failed lookup is the normal path's error. */
static int lm_attach(int peer)
{
	struct lm_conn *conn = lm_find_conn(peer);
	struct lm_conn *fresh;

	if (!conn)
		return -ENOENT;
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	lm_add_conn(fresh);
	return 0;
}

static void lm_attach_bad(struct lm_node *node)
{
	spin_lock(&node->state_lock);
	lm_attach(node->peer); // expect: sleeping-alloc-in-atomic
	spin_unlock(&node->state_lock);
}

/* The found local is overwritten before the exit: the exit no longer tells a hit. */
static struct lm_conn *lm_reuse(int peer)
{
	struct lm_conn *conn = lm_find_conn(peer);

	conn = NULL;
	if (conn)
		return conn;
	return kzalloc(sizeof(*conn), GFP_KERNEL);
}

static void lm_reuse_bad(struct lm_node *node)
{
	spin_lock(&node->state_lock);
	lm_reuse(node->peer); // expect: sleeping-alloc-in-atomic
	spin_unlock(&node->state_lock);
}

/* A lookup-miss allocation written in the atomic function itself is reported as it stands. */
static void lm_lookup_in_lock_bad(struct lm_node *node)
{
	struct lm_conn *conn;

	spin_lock(&node->state_lock);
	conn = lm_find_conn(node->peer);
	if (!conn)
		conn = kzalloc(sizeof(*conn), GFP_KERNEL); // expect: sleeping-alloc-in-atomic
	spin_unlock(&node->state_lock);
}

/* An error code returned as it is: the normal path's check, not a lookup. */
static int lm_setup(struct lm_node *node);

static int lm_start(struct lm_node *node)
{
	int ret;

	ret = lm_setup(node);
	if (ret)
		return ret;
	return kzalloc(16, GFP_KERNEL) ? 0 : -ENOMEM;
}

static void lm_start_bad(struct lm_node *node)
{
	spin_lock(&node->state_lock);
	lm_start(node); // expect: sleeping-alloc-in-atomic
	spin_unlock(&node->state_lock);
}
