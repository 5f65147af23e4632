using LogisticsSync.Simulators.Carriers;
using LogisticsSync.Simulators.Faults;
using static LogisticsSync.Simulators.Tests.Carriers.CarrierTestData;

namespace LogisticsSync.Simulators.Tests.Carriers;

public sealed class JourneyPlanTests
{
    private static readonly FaultProfile Moderate = new() { DelayRate = 0.3, FailedAttemptRate = 0.2, DuplicateRate = 0.2, ReorderRate = 0.2, StormRate = 0.1 };

    [Fact]
    public void Booking_SameSeedAndTender_SameNumbers_EtaAFewHoursBeforeThePromise()
    {
        var booking = Book(11, ParcelFast, 1);

        Assert.Equal(booking, Book(11, ParcelFast, 1));
        Assert.NotEqual(booking.TrackingNumber, Book(12, ParcelFast, 1).TrackingNumber);
        Assert.NotEqual(booking.TrackingNumber, Book(11, ParcelFast, 2).TrackingNumber);
        Assert.Matches("^PF[0-9]{10}$", booking.TrackingNumber);
        Assert.Matches("^FL-[0-9]{10}$", Book(11, FreightLine, 1).TrackingNumber);
        Assert.InRange(PromisedBy - booking.EstimatedDeliveryAt, TimeSpan.FromHours(1), TimeSpan.FromHours(8));
    }

    [Fact]
    public void Booking_PromiseSoonerThanTheShortestTransit_EtaIsTheShortestTransit()
    {
        var booking = Book(11, FreightLine, 1, promisedBy: Now.AddHours(5));

        Assert.Equal(Now.AddDays(3), booking.EstimatedDeliveryAt);
    }

    [Fact]
    public void For_SameSeedAndBooking_SameJourney_AnotherSeedAnother()
    {
        var booking = Book(11, ParcelFast, 1);

        var plan = JourneyPlan.For(11, ParcelFast, booking, Moderate);

        Assert.Equal(plan.Steps, JourneyPlan.For(11, ParcelFast, booking, Moderate).Steps);
        Assert.Equal(plan.Sends, JourneyPlan.For(11, ParcelFast, booking, Moderate).Sends);
        Assert.NotEqual(plan.Steps.Select(s => s.OccurredAt), JourneyPlan.For(12, ParcelFast, booking, Moderate).Steps.Select(s => s.OccurredAt));
    }

    [Fact]
    public void For_WithoutFaults_LabelTransitOutForDeliveryDeliveredPod_InTimeOrder_DeliveredAtTheEta()
    {
        var booking = Book(11, FreightLine, 3);

        var plan = JourneyPlan.For(11, FreightLine, booking, new FaultProfile());

        Assert.Equal([JourneyStatus.LabelCreated, JourneyStatus.InTransit, JourneyStatus.OutForDelivery, JourneyStatus.Delivered, JourneyStatus.PodAvailable], plan.Steps.Select(s => s.Status));
        Assert.Equal(plan.Steps.Select(s => s.OccurredAt).Order(), plan.Steps.Select(s => s.OccurredAt));
        Assert.Equal(booking.BookedAt, plan.Steps[0].OccurredAt);
        Assert.Equal(booking.EstimatedDeliveryAt, plan.Steps.Single(s => s.Status == JourneyStatus.Delivered).OccurredAt);
        Assert.Equal(plan.Steps, plan.Sends.Select(s => s.Step));
        Assert.All(plan.Steps, s => Assert.Equal((Repeat.None, false), (s.Repeat, s.Storm)));
        var pod = plan.Steps[^1].ProofOfDelivery;
        Assert.NotNull(pod);
        Assert.Equal(plan.Steps[^2].OccurredAt, pod.SignedAt);
        Assert.False(string.IsNullOrWhiteSpace(pod.SignedBy));
    }

    [Fact]
    public void For_DelayedAndFailedAttempt_RevisedEtaThenInTransitAgain_FailedThenOutForDeliveryAgain()
    {
        var plan = JourneyPlan.For(11, ParcelFast, Book(11, ParcelFast, 4), new FaultProfile { DelayRate = 1, FailedAttemptRate = 1 });

        Assert.Equal(
            [JourneyStatus.LabelCreated, JourneyStatus.InTransit, JourneyStatus.Delayed, JourneyStatus.InTransit, JourneyStatus.OutForDelivery,
             JourneyStatus.DeliveryAttemptFailed, JourneyStatus.OutForDelivery, JourneyStatus.Delivered, JourneyStatus.PodAvailable],
            plan.Steps.Select(s => s.Status));
        Assert.Equal(plan.Steps.Select(s => s.OccurredAt).Order(), plan.Steps.Select(s => s.OccurredAt));
        var delay = plan.Steps.Single(s => s.Status == JourneyStatus.Delayed);
        Assert.NotNull(delay.RevisedEta);
        Assert.True(delay.RevisedEta > plan.Booking.EstimatedDeliveryAt);
        Assert.All(plan.Steps.Skip(delay.Index), s => Assert.Equal(delay.RevisedEta, s.EstimatedDelivery));
    }

    [Fact]
    public void For_Rates_AreMetOverManyJourneys_HalfTheDelaysPastThePromise()
    {
        var faults = new FaultProfile { DelayRate = 0.3, FailedAttemptRate = 0.2, ReorderRate = 0.25, DuplicateRate = 0.1, StormRate = 0.05 };
        var plans = Enumerable.Range(1, 1000).Select(n => JourneyPlan.For(5, FreightLine, Book(5, FreightLine, n), faults)).ToList();

        Assert.InRange(plans.Count(p => p.Delayed), 250, 350);
        Assert.InRange(plans.Count(p => p.LatePastPromise), 110, 190);
        Assert.InRange(plans.Count(p => p.FailedAttempt), 160, 240);
        Assert.InRange(plans.Count(p => p.HeldBack is not null), 200, 300);
        var steps = plans.SelectMany(p => p.Steps).ToList();
        Assert.InRange(steps.Count(s => s.Repeat != Repeat.None) / (double)steps.Count, 0.08, 0.12);
        Assert.InRange(steps.Count(s => s.Repeat == Repeat.SameWebhookId) / (double)steps.Count(s => s.Repeat != Repeat.None), 0.4, 0.6);
        Assert.InRange(steps.Count(s => s.Storm) / (double)steps.Count, 0.035, 0.065);
    }

    [Fact]
    public void For_Reordered_OneStatusIsSentRightAfterTheNext_NeverTheLabel()
    {
        var plans = Enumerable.Range(1, 200).Select(n => JourneyPlan.For(5, ParcelFast, Book(5, ParcelFast, n), new FaultProfile { ReorderRate = 1 })).ToList();

        Assert.All(plans, plan =>
        {
            var held = plan.HeldBack!.Value;
            Assert.InRange(held, 1, plan.Steps.Count - 2);
            var order = plan.Sends.Select(s => s.Step.Index).ToList();
            Assert.Equal(Enumerable.Range(0, plan.Steps.Count).Select(i => i == held ? held + 1 : i == held + 1 ? held : i), order);
            Assert.Equal(plan.Sends[held].SendAt, plan.Sends[held + 1].SendAt);
        });
    }
}
