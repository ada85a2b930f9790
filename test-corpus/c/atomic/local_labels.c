// SPDX-License-Identifier: GPL-2.0
/*
 * A statement-expression macro with a local label (GNU __label__), expanded twice in one function:
 * each expansion's "goto out" reaches its own label. The first loop, outside the RCU read-side
 * section, may take a mutex; the second, inside it, must not.
 */
#include <linux/rcupdate.h>
#include <linux/mutex.h>

struct ll_entry {
	int type;
	int val;
};

#define ll_next(_e, _end)					\
({								\
	__label__ out;						\
	for (; (_e) < (_end); (_e)++)				\
		if ((_e)->type == 1)				\
			goto out;				\
out:								\
	(_e) < (_end);						\
})

#define ll_for_each(_e, _start, _end)				\
	for ((_e) = (_start); ll_next(_e, _end); (_e)++)

int ll_check(struct ll_entry *e);

static int ll_walk(struct ll_entry *start, struct ll_entry *end, struct mutex *m)
{
	struct ll_entry *e;
	int ret;

	ll_for_each(e, start, end) {
		mutex_lock(m);
		ret = ll_check(e);
		mutex_unlock(m);
		if (ret)
			return ret;
	}

	rcu_read_lock();
	ll_for_each(e, start, end)
		e->val = 0;
	rcu_read_unlock();
	return 0;
}

static void ll_walk_bad(struct ll_entry *start, struct ll_entry *end, struct mutex *m)
{
	struct ll_entry *e;

	rcu_read_lock();
	ll_for_each(e, start, end) {
		mutex_lock(m); // expect: sleep-in-atomic
		e->val = 0;
		mutex_unlock(m);
	}
	rcu_read_unlock();
}
