import oslo_messaging as messaging


def get_server(transport, target, endpoints):
    return messaging.get_rpc_server(transport, target, endpoints, executor='eventlet')
