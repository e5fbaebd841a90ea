import Shared
print(Tensor.zeros([2]))
