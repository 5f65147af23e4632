// The smoke test boots real servers on 2 cores: one test class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
