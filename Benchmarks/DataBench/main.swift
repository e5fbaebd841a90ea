print("DataBench: not yet")
