alert('synthetic');
