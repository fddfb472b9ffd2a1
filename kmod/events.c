// SPDX-License-Identifier: GPL-2.0
/*
 * camfence events: the hooks (softirq) copy each event into a fixed-size
 * per-namespace ring; a work item drains it in process context and
 * multicasts CAMFENCE_CMD_EVENT. Nothing here allocates or sleeps on the
 * packet path; when the ring is full the event is dropped and counted, and
 * the count is reported in the SUPPRESSED attribute of the next event.
 */

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "events.h"
#include "netlink.h"
#include "devstate.h"

#define CF_EVENTS_RING	256	/* a power of two */

struct cf_events {
	struct cf_net *cn;
	spinlock_t lock;		/* head, count, lost, ring */
	unsigned int head;		/* oldest entry */
	unsigned int count;
	u64 lost;			/* dropped since the last queued event */
	bool dead;			/* set at exit: queue nothing more */
	struct work_struct work;
	struct cf_event_info ring[CF_EVENTS_RING];
};

static void cf_events_work(struct work_struct *work)
{
	struct cf_events *e = container_of(work, struct cf_events, work);
	struct cf_event_info ev;

	for (;;) {
		spin_lock_bh(&e->lock);
		if (!e->count) {
			spin_unlock_bh(&e->lock);
			break;
		}
		ev = e->ring[e->head];
		e->head = (e->head + 1) % CF_EVENTS_RING;
		e->count--;
		spin_unlock_bh(&e->lock);

		cf_genl_send_event(e->cn, &ev);
		cond_resched();
	}
}

void cf_event_queue(struct cf_net *cn, const struct cf_event_info *ev)
{
	/* pairs with cf_events_enable() */
	struct cf_events *e = smp_load_acquire(&cn->events);
	struct cf_event_info *slot;

	if (!e)
		return;
	spin_lock_bh(&e->lock);
	if (e->dead) {
		spin_unlock_bh(&e->lock);
		return;
	}
	if (e->count >= CF_EVENTS_RING) {
		e->lost++;
		spin_unlock_bh(&e->lock);
		cf_stats_event_suppressed(cn);
		return;
	}
	slot = &e->ring[(e->head + e->count) % CF_EVENTS_RING];
	*slot = *ev;
	slot->suppressed += e->lost;
	e->lost = 0;
	e->count++;
	spin_unlock_bh(&e->lock);
	schedule_work(&e->work);
}

/*
 * The ring (35 KiB) is allocated at the namespace's first policy with
 * zones, the first time its hooks can queue an event: a namespace that
 * never uses camfence does not pay for it. cn->lock held, or namespace
 * init; charged to the caller's memory cgroup.
 */
int cf_events_enable(struct cf_net *cn)
{
	struct cf_events *e;

	if (cn->events)
		return 0;
	e = kvzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	e->cn = cn;
	spin_lock_init(&e->lock);
	INIT_WORK(&e->work, cf_events_work);
	/* the hooks read cn->events without a lock */
	smp_store_release(&cn->events, e);
	return 0;
}

void cf_events_net_stop(struct cf_net *cn)
{
	struct cf_events *e = READ_ONCE(cn->events);

	if (!e)
		return;
	spin_lock_bh(&e->lock);
	e->dead = true;
	e->count = 0;
	spin_unlock_bh(&e->lock);
	cancel_work_sync(&e->work);
}

void cf_events_net_exit(struct cf_net *cn)
{
	struct cf_events *e = READ_ONCE(cn->events);

	if (!e)
		return;
	cf_events_net_stop(cn);
	cn->events = NULL;
	kvfree(e);
}
